//! A counting global allocator for the allocation tests: it counts, per
//! thread, every `alloc`, `alloc_zeroed` and `realloc` and the bytes each
//! asks for (for a `realloc`, the new size), so a check that runs a
//! function between two reads of the current thread's counters is not
//! disturbed by the test harness's other threads.
//!
//! A test file installs it with
//! `#[global_allocator] static GLOBAL: counting::Counting = counting::Counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

thread_local! {
    // `const`-initialized and without `Drop`: touching them never allocates.
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

/// The allocator: `System`, counting.
pub(crate) struct Counting;

fn bump(bytes: usize) {
    // During thread teardown the slots may be gone: not counting then is fine.
    let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + bytes));
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees carry over; counting only touches
// thread-local `Cell`s, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(layout.size());
        // SAFETY: our caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(layout.size());
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(new_size);
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Heap allocations made on this thread while running `f`, and the bytes
/// they asked for.
pub(crate) fn counted<R>(f: impl FnOnce() -> R) -> (usize, usize) {
    let before = (COUNT.with(Cell::get), BYTES.with(Cell::get));
    black_box(f());
    (
        COUNT.with(Cell::get) - before.0,
        BYTES.with(Cell::get) - before.1,
    )
}
