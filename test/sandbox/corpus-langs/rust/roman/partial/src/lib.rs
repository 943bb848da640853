/// Roman numeral of `n` (1..=3999), additive only.
///
/// ```
/// assert_eq!(roman::to_roman(9), "IX");
/// ```
pub fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, symbol) in [(1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I")] {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests;
