package bank

import (
	"errors"
	"sync"
)

var ErrInsufficientFunds = errors.New("insufficient funds")
var ErrNegativeAmount = errors.New("amount must not be negative")

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
	if amount < 0 {
		return ErrNegativeAmount
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
	return nil
}

func (a *Account) Withdraw(amount int64) error {
	if amount < 0 {
		return ErrNegativeAmount
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if amount > a.balance {
		return ErrInsufficientFunds
	}
	a.balance -= amount
	return nil
}
