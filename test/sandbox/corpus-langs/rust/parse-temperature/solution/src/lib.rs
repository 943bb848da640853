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
    pub fn to_celsius(&self) -> f64 {
        match *self {
            Temperature::Celsius(c) => c,
            Temperature::Fahrenheit(f) => (f - 32.0) * 5.0 / 9.0,
        }
    }
}

/// Parses "21C" or "98.6F".
pub fn parse(s: &str) -> Result<Temperature, ParseError> {
    let unit = s.chars().last().ok_or(ParseError::Empty)?;
    let number = &s[..s.len() - unit.len_utf8()];
    let value: f64 = number.parse().map_err(|_| ParseError::BadNumber(number.to_string()))?;
    match unit {
        'C' => Ok(Temperature::Celsius(value)),
        'F' => Ok(Temperature::Fahrenheit(value)),
        other => Err(ParseError::UnknownUnit(other)),
    }
}
