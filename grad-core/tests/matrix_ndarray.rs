//! `Matrix<T>` ⇄ `ndarray::Array2<T>` (run with `--features ndarray`).
#![cfg(feature = "ndarray")]

use grad_core::Matrix;
use ndarray::{Array2, array, s};

#[test]
fn round_trip_keeps_shape_and_elements() {
    let m = Matrix::from_fn(3, 4, |i, j| (10 * i + j) as f64);
    let a: Array2<f64> = m.clone().into();
    assert_eq!(a.dim(), (3, 4));
    assert_eq!(a[[2, 3]], 23.0);
    assert_eq!(Matrix::from(a.clone()), m);
    assert_eq!(Array2::from(&m), a);
    assert_eq!(Matrix::from(&a), m);
}

#[test]
fn other_layouts_are_read_in_row_major_order() {
    let a = array![[1.0_f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
    // A transposed (column-major) array.
    let t = Matrix::from(a.t().to_owned());
    assert_eq!(t.shape(), (3, 2));
    assert_eq!(t.as_slice(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    assert_eq!(Matrix::from(a.t()), t);
    // A sliced array that starts past its buffer's first element.
    let tail = a.clone().slice_move(s![1.., 1..]);
    assert_eq!(Matrix::from(tail).as_slice(), &[5.0, 6.0]);
    let rows = a.clone().slice_move(s![1.., ..]);
    assert_eq!(Matrix::from(rows).as_slice(), &[4.0, 5.0, 6.0]);
}

#[test]
fn empty_matrices_convert() {
    let m = Matrix::<f64>::zeros(0, 3);
    let a = Array2::from(m.clone());
    assert_eq!(a.dim(), (0, 3));
    assert_eq!(Matrix::from(a), m);
}
