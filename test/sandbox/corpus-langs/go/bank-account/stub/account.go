package bank

import "errors"

var ErrInsufficientFunds = errors.New("insufficient funds")

type Account struct{}

func Open() *Account { return &Account{} }

func (a *Account) Balance() int64 { return -1 }

func (a *Account) Deposit(amount int64) error { return errors.New("not implemented") }

func (a *Account) Withdraw(amount int64) error { return nil }
