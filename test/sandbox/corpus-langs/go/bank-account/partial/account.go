package bank

import (
	"errors"
	"sync"
)

var ErrInsufficientFunds = errors.New("insufficient funds")

// No check of negative amounts; a refused withdrawal still takes the money.
type Account struct {
	mu      sync.Mutex
	balance int64
}

func Open() *Account { return &Account{} }

func (a *Account) Balance() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *Account) Deposit(amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
	return nil
}

func (a *Account) Withdraw(amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance -= amount
	if a.balance < 0 {
		return ErrInsufficientFunds
	}
	return nil
}
