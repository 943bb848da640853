/// Roman numeral of `n` (1..=3999).
///
/// ```
/// assert_eq!(roman::to_roman(9), "IX");
/// ```
pub fn to_roman(_n: u32) -> String {
    String::new()
}

#[cfg(test)]
mod tests;
