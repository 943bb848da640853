use std::fmt;

const DAY: i32 = 24 * 60;

/// A time of day: minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock(i32);

impl Clock {
    pub fn new(hours: i32, minutes: i32) -> Self {
        Clock((hours * 60 + minutes).rem_euclid(DAY))
    }

    pub fn add_minutes(&self, minutes: i32) -> Self {
        Clock::new(0, self.0 + minutes)
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}
