use bank::{Account, BankError};

#[test]
fn new_account_is_empty() {
    assert_eq!(Account::new().balance(), 0);
}

#[test]
fn deposit_adds_to_balance() {
    let mut a = Account::new();
    a.deposit(150).unwrap();
    a.deposit(50).unwrap();
    assert_eq!(a.balance(), 200);
}

#[test]
fn overdraft_is_refused() {
    let mut a = Account::new();
    a.deposit(10).unwrap();
    assert_eq!(a.withdraw(20), Err(BankError::InsufficientFunds));
    assert_eq!(a.balance(), 10, "a refused withdrawal must not change the balance");
}

#[test]
#[should_panic(expected = "zero deposit")]
fn zero_deposit_panics() {
    let mut a = Account::new();
    let _ = a.deposit(0);
}

#[test]
#[ignore = "interest is a later step"]
fn interest() {
    unimplemented!()
}
