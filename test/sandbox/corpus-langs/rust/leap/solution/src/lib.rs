/// Whether `year` is a leap year in the Gregorian calendar.
pub fn is_leap_year(year: u64) -> bool {
    assert!(year > 0, "no year 0 in the Gregorian calendar");
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}
