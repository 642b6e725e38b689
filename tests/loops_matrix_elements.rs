//! Matrix elements in #[differentiable] bodies: `m[(i, j)]` reads (the
//! backward adds to one element in place) and `m[(i, j)] = e` writes, in
//! loops, against closed forms and central differences; an element out of
//! range panics naming the shape.

use grad::{Matrix, differentiable};

/// xᵀ·A·x with the matrix read element by element.
#[differentiable]
fn quad(a: &Matrix<f64>, x: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[(i, j)] * x[j];
        }
    }
    s
}

/// A lower-triangular copy built element by element, then reduced.
#[differentiable(hessian)]
fn lower(a: &Matrix<f64>) -> f64 {
    let n = a.rows();
    let mut l = Matrix::zeros(n, n);
    for i in 0..n {
        for j in 0..i + 1 {
            l[(i, j)] = a[(i, j)] * a[(j, i)];
        }
    }
    sum(tanh(l))
}

#[test]
fn matrix_elements_read_and_written() {
    let a = Matrix::from_fn(3, 3, |i, j| ((i * 3 + j) as f64 * 0.4).sin());
    let x = [0.5, -1.0, 2.0];
    let (da, dx) = quad_grad(&a, &x);
    for i in 0..3 {
        let want: f64 = (0..3).map(|j| (a[(i, j)] + a[(j, i)]) * x[j]).sum();
        assert!((dx[i] - want).abs() < 1e-12);
        for j in 0..3 {
            assert!((da[(i, j)] - x[i] * x[j]).abs() < 1e-12);
        }
    }
    let g = lower_grad(&a);
    let h = 1e-6;
    for k in 0..9 {
        let (mut p, mut q) = (a.clone(), a.clone());
        p.as_mut_slice()[k] += h;
        q.as_mut_slice()[k] -= h;
        let fd = (lower(&p) - lower(&q)) / (2.0 * h);
        assert!(
            (fd - g.as_slice()[k]).abs() < 1e-8,
            "{k}: {fd} {}",
            g.as_slice()[k]
        );
    }
    let hess = lower_hessian(&a);
    assert_eq!(hess.shape(), (9, 9));
}

#[test]
#[should_panic(expected = "index (0, 3) out of range for a 3×3 matrix")]
fn an_element_out_of_range_panics() {
    #[differentiable]
    fn corner(a: &Matrix<f64>, j: usize) -> f64 {
        a[(0, j)] * 2.0
    }
    let _ = corner(&Matrix::zeros(3, 3), 3);
}
