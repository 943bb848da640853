use leap::is_leap_year;

fn process_leapyear_case(year: u64, expected: bool) {
    assert_eq!(is_leap_year(year), expected, "year {year}");
}

#[test]
fn year_not_divisible_by_4() {
    process_leapyear_case(2015, false);
}

#[test]
fn year_divisible_by_4() {
    process_leapyear_case(1996, true);
}

#[test]
fn century_is_not_leap() {
    process_leapyear_case(1900, false);
}

#[test]
fn divisible_by_400_is_leap() {
    process_leapyear_case(2000, true);
}

#[test]
#[should_panic(expected = "no year 0")]
fn year_zero_panics() {
    is_leap_year(0);
}
