use stack::Stack;

#[test]
fn starts_empty() {
    let s: Stack<i32> = Stack::new();
    assert!(s.is_empty());
    assert_eq!(s.len(), 0);
}

#[test]
fn pop_returns_last_pushed() {
    let mut s = Stack::new();
    s.push('a');
    s.push('b');
    assert_eq!(s.pop(), Some('b'));
    assert_eq!(s.pop(), Some('a'));
    assert_eq!(s.pop(), None);
}

#[test]
fn peek_does_not_remove() {
    let mut s = Stack::new();
    s.push(String::from("x"));
    assert_eq!(s.peek().map(String::as_str), Some("x"));
    assert_eq!(s.len(), 1);
}

#[test]
#[should_panic(expected = "stack is empty")]
fn top_of_empty_panics() {
    let s: Stack<u8> = Stack::new();
    s.top();
}

#[test]
fn collects_from_an_iterator() {
    let s: Stack<u32> = (1..=3).collect();
    assert_eq!(s.peek(), Some(&3));
    assert_eq!(s.len(), 3);
}
