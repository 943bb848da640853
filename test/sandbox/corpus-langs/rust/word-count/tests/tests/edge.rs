use word_count::word_count;

#[test]
fn empty_input_has_no_words() {
    assert!(word_count("").is_empty());
}

#[test]
fn ignores_punctuation() {
    let counts = word_count("car: carpet, java!!");
    assert_eq!(counts.len(), 3, "{counts:?}");
    assert_eq!(counts.get("carpet"), Some(&1));
}
