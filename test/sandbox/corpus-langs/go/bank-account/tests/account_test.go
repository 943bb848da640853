package bank

import (
	"errors"
	"sync"
	"testing"
)

func TestOpenBalanceIsZero(t *testing.T) {
	a := Open()
	if got := a.Balance(); got != 0 {
		t.Fatalf("Balance() of a new account = %d, want 0", got)
	}
}

func TestDeposit(t *testing.T) {
	a := Open()
	if err := a.Deposit(150); err != nil {
		t.Fatalf("Deposit(150) returned %v", err)
	}
	if got := a.Balance(); got != 150 {
		t.Errorf("Balance() = %d, want 150", got)
	}
}

func TestWithdrawTooMuch(t *testing.T) {
	a := Open()
	_ = a.Deposit(10)
	err := a.Withdraw(20)
	if !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("Withdraw(20) from 10 = %v, want ErrInsufficientFunds", err)
	}
	if a.Balance() != 10 {
		t.Errorf("a refused withdrawal changed the balance to %d", a.Balance())
	}
}

func TestNegativeAmounts(t *testing.T) {
	a := Open()
	if err := a.Deposit(-5); err == nil {
		t.Error("Deposit(-5) succeeded, want an error")
	}
	if err := a.Withdraw(-5); err == nil {
		t.Error("Withdraw(-5) succeeded, want an error")
	}
}

func TestConcurrentDeposits(t *testing.T) {
	a := Open()
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = a.Deposit(1)
		}()
	}
	wg.Wait()
	if got := a.Balance(); got != 100 {
		t.Errorf("Balance() after 100 concurrent deposits of 1 = %d, want 100", got)
	}
}

func TestInterest(t *testing.T) {
	t.Skip("interest is not part of this exercise")
}
