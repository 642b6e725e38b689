//! The dispatch controls: choosing a path for a thread, and an
//! unavailable path panicking instead of running.

use grad_core::dispatch::{self, Path};

use super::paths;

#[test]
fn dispatch_controls() {
    let best = dispatch::detected();
    assert!(best.is_available());
    assert_eq!(dispatch::active(), best);
    for p in paths() {
        assert_eq!(dispatch::with_path(p, dispatch::active), p);
        // Nested forcing restores the outer choice.
        dispatch::with_path(p, || {
            dispatch::with_path(Path::Portable, || {
                assert_eq!(dispatch::active(), Path::Portable)
            });
            assert_eq!(dispatch::active(), p);
        });
    }
    assert_eq!(dispatch::active(), best);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        assert!(Path::Avx2.is_available());
        assert_ne!(
            best,
            Path::Portable,
            "default dispatch must use the fastest path"
        );
    }
}

#[test]
fn unavailable_path_panics_instead_of_running() {
    let missing: Vec<Path> = Path::ALL
        .into_iter()
        .filter(|p| !p.is_available())
        .collect();
    if missing.is_empty() {
        eprintln!("note: every path is available on this CPU; nothing to check");
        return;
    }
    for p in missing {
        let r = std::panic::catch_unwind(|| dispatch::with_path(p, || ()));
        let msg = *r
            .expect_err("forcing an unavailable path must panic")
            .downcast::<String>()
            .unwrap();
        assert_eq!(
            msg,
            format!("dispatch: path {} is not available on this CPU", p.name())
        );
    }
    // The panic left the thread's choice untouched.
    assert_eq!(dispatch::active(), dispatch::detected());
}
