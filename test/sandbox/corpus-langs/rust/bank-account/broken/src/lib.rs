pub enum BankError {
    InsufficientFunds,
}

pub struct Account {
    balance: u64,
}

impl Account {
    pub fn new() -> Self {
        Account { balance: 0 }
    }

    pub fn balance(&self) -> u64 {
        self.balance
    }

    pub fn deposit(&mut self, amount: u64) -> Result<(), BankError> {
        self.balance += amount;
        Ok(())
    }

    pub fn withdraw(&mut self, amount: u64) -> Result<(), BankError> {
        self.balance -= amount
        Ok(())
    }
}
