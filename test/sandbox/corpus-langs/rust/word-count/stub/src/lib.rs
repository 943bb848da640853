use std::collections::HashMap;

pub fn word_count(words: &str) -> HashMap<String, u32> {
    todo!("count the words of {words:?}")
}
