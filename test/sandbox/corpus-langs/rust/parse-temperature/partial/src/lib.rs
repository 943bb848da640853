#[derive(Debug, PartialEq)]
pub enum Temperature {
    Celsius(f64),
    Fahrenheit(f64),
}

#[derive(Debug, PartialEq)]
pub enum ParseError {
    Empty,
    UnknownUnit(char),
    BadNumber(String),
}

impl Temperature {
    /// Forgets the offset of 32.
    pub fn to_celsius(&self) -> f64 {
        match *self {
            Temperature::Celsius(c) => c,
            Temperature::Fahrenheit(f) => f * 5.0 / 9.0,
        }
    }
}

/// Treats every unit other than C as Fahrenheit, and "" as a bad number.
pub fn parse(s: &str) -> Result<Temperature, ParseError> {
    if s.is_empty() {
        return Err(ParseError::BadNumber(String::new()));
    }
    let value: f64 = s[..s.len() - 1].parse().map_err(|_| ParseError::BadNumber(s.to_string()))?;
    Ok(if s.ends_with('C') { Temperature::Celsius(value) } else { Temperature::Fahrenheit(value) })
}
