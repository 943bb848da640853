package bank;

public class Account {
    private long balance;

    public long balance() {
        return balance;
    }

    // Accepts any amount; overdraft refused but with another message.
    public void deposit(long amount) {
        balance += amount;
    }

    public void withdraw(long amount) {
        if (amount > balance) throw new IllegalStateException("not enough money");
        balance -= amount;
    }
}
