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
        todo!()
    }
}

pub fn parse(s: &str) -> Result<Temperature, ParseError> {
    Err(ParseError::BadNumber(s.to_string()))
}
