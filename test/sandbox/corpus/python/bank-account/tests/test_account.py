import pytest

from account import Account, InsufficientFunds


def test_new_account_is_empty():
    assert Account().balance == 0


def test_deposit():
    a = Account()
    a.deposit(50)
    a.deposit(25)
    assert a.balance == 75


def test_withdraw():
    a = Account()
    a.deposit(100)
    a.withdraw(30)
    assert a.balance == 70


def test_overdraw_raises():
    a = Account()
    a.deposit(10)
    with pytest.raises(InsufficientFunds):
        a.withdraw(11)
    assert a.balance == 10


def test_negative_deposit_raises():
    with pytest.raises(ValueError):
        Account().deposit(-5)
