class InsufficientFunds(Exception):
    pass


class Account:
    @property
    def balance(self):
        raise NotImplementedError

    def deposit(self, amount):
        raise NotImplementedError

    def withdraw(self, amount):
        raise NotImplementedError
