// TAMPER-MARKER-RUST: hidden test text that must never come back to anyone.

#[test]
fn adds_small_numbers() {
    assert_eq!(calc::add(2, 3), 5);
}

#[test]
fn adds_zero() {
    assert_eq!(calc::add(7, 0), 7);
}
