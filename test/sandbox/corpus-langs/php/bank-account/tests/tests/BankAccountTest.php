<?php

declare(strict_types=1);

namespace Bank\Tests;

use Bank\BankAccount;
use Bank\InsufficientFunds;
use PHPUnit\Framework\TestCase;

/**
 * @covers \Bank\BankAccount
 */
final class BankAccountTest extends TestCase
{
    public function testOpensWithZero(): void
    {
        $this->assertSame(0, BankAccount::open()->balance());
    }

    public function testDepositIsImmutable(): void
    {
        $account = BankAccount::open();
        $after = $account->deposit(100);
        $this->assertSame(0, $account->balance());
        $this->assertSame(100, $after->balance());
    }

    /**
     * @group overdraft
     */
    public function testOverdraftIsRefused(): void
    {
        $this->expectException(InsufficientFunds::class);
        $this->expectExceptionMessageMatches('/balance 10, asked 20/');
        BankAccount::open()->deposit(10)->withdraw(20);
    }

    /**
     * @dataProvider invalidAmounts
     */
    public function testInvalidAmounts(int $amount): void
    {
        $this->expectException(\InvalidArgumentException::class);
        BankAccount::open()->deposit($amount);
    }

    public function invalidAmounts(): array
    {
        return ['zero' => [0], 'negative' => [-5]];
    }
}
