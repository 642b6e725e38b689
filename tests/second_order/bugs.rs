//! Regressions: cases whose generated code once failed to compile, checked
//! with trybuild's `pass` (each also checks its values).

#[test]
/// A scalar `sigmoid` inside a branch: its `_hvp` reads the sigmoid's
/// complement only where it is in scope.
fn hessian_of_sigmoid_inside_a_branch_compiles() {
    trybuild::TestCases::new().pass("tests/second_order/bugs/sigmoid-in-branch.rs");
}
