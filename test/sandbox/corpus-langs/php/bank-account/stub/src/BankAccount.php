<?php

declare(strict_types=1);

namespace Bank;

final class BankAccount
{
    public static function open(): self
    {
        throw new \BadMethodCallException('TODO');
    }

    public function balance(): int
    {
        throw new \BadMethodCallException('TODO');
    }

    public function deposit(int $amount): self
    {
        throw new \BadMethodCallException('TODO');
    }

    public function withdraw(int $amount): self
    {
        throw new \BadMethodCallException('TODO');
    }
}
