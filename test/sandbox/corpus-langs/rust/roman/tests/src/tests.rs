use super::to_roman;

#[test]
fn one() {
    assert_eq!(to_roman(1), "I");
}

#[test]
fn four() {
    assert_eq!(to_roman(4), "IV");
}

#[test]
fn nineteen_ninety_four() {
    assert_eq!(to_roman(1994), "MCMXCIV");
}
