package bank;

public class Account {
    public long balance() {
        throw new UnsupportedOperationException("TODO");
    }

    public void deposit(long amount) {
    }

    public void withdraw(long amount) {
        throw new UnsupportedOperationException("TODO");
    }
}
