#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    InsufficientFunds,
}

pub struct Account {
    balance: i64,
}

impl Account {
    pub fn new() -> Self {
        Account { balance: 0 }
    }

    pub fn balance(&self) -> u64 {
        self.balance as u64
    }

    // no zero check; a refused withdrawal still takes the money
    pub fn deposit(&mut self, amount: u64) -> Result<(), BankError> {
        self.balance += amount as i64;
        Ok(())
    }

    pub fn withdraw(&mut self, amount: u64) -> Result<(), BankError> {
        self.balance -= amount as i64;
        if self.balance < 0 {
            return Err(BankError::InsufficientFunds);
        }
        Ok(())
    }
}
