<?php

declare(strict_types=1);

namespace Bank;

// mutable (deposit changes the account it is called on), and no checks at all
final class BankAccount
{
    private int $balance = 0;

    public static function open(): self
    {
        return new self();
    }

    public function balance(): int
    {
        return $this->balance;
    }

    public function deposit(int $amount): self
    {
        $this->balance += $amount;
        return $this;
    }

    public function withdraw(int $amount): self
    {
        $this->balance -= $amount;
        return $this;
    }
}
