package bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountTest {
    private Account account;

    @BeforeEach
    void open() {
        account = new Account();
    }

    @Test
    void newAccountIsEmpty() {
        assertEquals(0, account.balance());
    }

    @Test
    void depositAddsToBalance() {
        account.deposit(150);
        account.deposit(50);
        assertEquals(200, account.balance());
    }

    @Test
    void withdrawTakesFromBalance() {
        account.deposit(100);
        account.withdraw(30);
        assertEquals(70, account.balance());
    }

    @Test
    void overdraftIsRefused() {
        account.deposit(10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> account.withdraw(20));
        assertEquals("insufficient funds", e.getMessage());
        assertEquals(10, account.balance(), "a refused withdrawal must not change the balance");
    }

    @ParameterizedTest(name = "deposit of {0} is refused")
    @ValueSource(longs = {0, -1, -100})
    void nonPositiveDepositsAreRefused(long amount) {
        assertThrows(IllegalArgumentException.class, () -> account.deposit(amount));
    }
}
