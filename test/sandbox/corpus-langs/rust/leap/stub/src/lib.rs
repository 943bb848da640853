pub fn is_leap_year(year: u64) -> bool {
    todo!("is {year} a leap year?")
}
