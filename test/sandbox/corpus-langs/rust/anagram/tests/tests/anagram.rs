use std::collections::HashSet;

fn process(word: &str, candidates: &[&'static str], expected: &[&'static str]) {
    let result = anagram::anagrams_for(word, candidates);
    let expected: HashSet<&str> = expected.iter().copied().collect();
    assert_eq!(result, expected);
}

#[test]
fn no_matches() {
    process("diaper", &["hello", "world", "zombies", "pants"], &[]);
}

#[test]
fn detects_simple_anagram() {
    process("ant", &["tan", "stand", "at"], &["tan"]);
}

#[test]
fn case_insensitive() {
    process("Orchestra", &["cashregister", "Carthorse", "radishes"], &["Carthorse"]);
}

#[test]
fn a_word_is_not_its_own_anagram() {
    process("BANANA", &["Banana"], &[]);
}

#[test]
#[ignore = "non-ASCII letters are a later step"]
fn unicode_anagrams() {
    process("ΑΒΓ", &["ΒΓΑ", "ΒΓΔ", "γβα"], &["ΒΓΑ", "γβα"]);
}
