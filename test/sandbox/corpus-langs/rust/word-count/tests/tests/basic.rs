use std::collections::HashMap;

fn check(input: &str, expected: &[(&str, u32)]) {
    let expected: HashMap<String, u32> = expected.iter().map(|&(w, n)| (w.to_string(), n)).collect();
    assert_eq!(word_count::word_count(input), expected);
}

#[test]
fn count_one_word() {
    check("word", &[("word", 1)]);
}

#[test]
fn count_repeated_words() {
    check("one fish two fish", &[("one", 1), ("fish", 2), ("two", 1)]);
}

#[test]
fn ignores_case() {
    check("Go go GO", &[("go", 3)]);
}
