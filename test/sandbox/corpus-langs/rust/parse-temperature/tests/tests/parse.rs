use temperature::{parse, ParseError, Temperature};

#[test]
fn celsius() -> Result<(), ParseError> {
    assert_eq!(parse("21C")?, Temperature::Celsius(21.0));
    Ok(())
}

#[test]
fn fahrenheit_with_decimals() -> Result<(), ParseError> {
    assert_eq!(parse("98.6F")?, Temperature::Fahrenheit(98.6));
    Ok(())
}

#[test]
fn converts_to_celsius() -> Result<(), ParseError> {
    let c = parse("212F")?.to_celsius();
    assert!((c - 100.0).abs() < 1e-9, "212F is {c}C");
    Ok(())
}

#[test]
fn unknown_unit_is_an_error() {
    assert!(matches!(parse("10K"), Err(ParseError::UnknownUnit('K'))));
}

#[test]
fn empty_is_an_error() {
    assert_eq!(parse(""), Err(ParseError::Empty));
}
