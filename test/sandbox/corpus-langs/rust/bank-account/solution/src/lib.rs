#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    InsufficientFunds,
}

#[derive(Default)]
pub struct Account {
    balance: u64,
}

impl Account {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn balance(&self) -> u64 {
        self.balance
    }

    pub fn deposit(&mut self, amount: u64) -> Result<(), BankError> {
        assert!(amount > 0, "zero deposit");
        self.balance += amount;
        Ok(())
    }

    pub fn withdraw(&mut self, amount: u64) -> Result<(), BankError> {
        if amount > self.balance {
            return Err(BankError::InsufficientFunds);
        }
        self.balance -= amount;
        Ok(())
    }
}
