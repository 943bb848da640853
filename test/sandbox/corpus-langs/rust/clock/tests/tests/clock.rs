use clock::Clock;

#[test]
fn on_the_hour() {
    assert_eq!(Clock::new(8, 0).to_string(), "08:00");
}

#[test]
fn midnight_is_zero_hours() {
    assert_eq!(Clock::new(24, 0).to_string(), "00:00");
}

#[test]
fn negative_minutes_roll_back() {
    assert_eq!(Clock::new(0, -40).to_string(), "23:20");
}

#[test]
fn add_across_midnight() {
    assert_eq!(Clock::new(23, 59).add_minutes(2), Clock::new(0, 1));
}

#[test]
fn clocks_a_day_apart_are_equal() {
    assert_eq!(Clock::new(15, 37), Clock::new(39, 37));
}

#[test]
#[ignore]
fn debug_format() {
    assert_eq!(format!("{:?}", Clock::new(1, 2)), "Clock(01:02)");
}
