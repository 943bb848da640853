use std::collections::HashSet;

/// Case-sensitive.
pub fn anagrams_for<'a>(word: &str, possible_anagrams: &[&'a str]) -> HashSet<&'a str> {
    let key = |w: &str| {
        let mut c: Vec<char> = w.chars().collect();
        c.sort_unstable();
        c
    };
    possible_anagrams.iter().copied().filter(|c| *c != word && key(c) == key(word)).collect()
}
