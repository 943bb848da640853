use std::collections::HashSet;

fn key(word: &str) -> Vec<char> {
    let mut chars: Vec<char> = word.chars().collect();
    chars.sort_unstable();
    chars
}

/// The candidates that are anagrams of `word` (ignoring case, never the word itself).
pub fn anagrams_for<'a>(word: &str, possible_anagrams: &[&'a str]) -> HashSet<&'a str> {
    let lower = word.to_lowercase();
    let k = key(&lower);
    possible_anagrams
        .iter()
        .copied()
        .filter(|c| {
            let c = c.to_lowercase();
            c != lower && key(&c) == k
        })
        .collect()
}
