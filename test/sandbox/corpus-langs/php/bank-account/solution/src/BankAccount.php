<?php

declare(strict_types=1);

namespace Bank;

final class BankAccount
{
    private function __construct(private readonly int $balance)
    {
    }

    public static function open(): self
    {
        return new self(0);
    }

    public function balance(): int
    {
        return $this->balance;
    }

    public function deposit(int $amount): self
    {
        if ($amount <= 0) {
            throw new \InvalidArgumentException('the amount must be positive');
        }
        return new self($this->balance + $amount);
    }

    public function withdraw(int $amount): self
    {
        if ($amount > $this->balance) {
            throw new InsufficientFunds("balance {$this->balance}, asked $amount");
        }
        return new self($this->balance - $amount);
    }
}
