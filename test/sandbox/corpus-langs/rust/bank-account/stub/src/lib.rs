#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    InsufficientFunds,
}

pub struct Account;

impl Account {
    pub fn new() -> Self {
        Account
    }

    pub fn balance(&self) -> u64 {
        todo!()
    }

    pub fn deposit(&mut self, _amount: u64) -> Result<(), BankError> {
        Ok(())
    }

    pub fn withdraw(&mut self, _amount: u64) -> Result<(), BankError> {
        todo!()
    }
}
