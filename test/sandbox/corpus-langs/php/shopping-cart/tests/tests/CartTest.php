<?php

declare(strict_types=1);

namespace Shop\Tests;

use InvalidArgumentException;
use PHPUnit\Framework\TestCase;
use Shop\Cart;

final class CartTest extends TestCase
{
    public function testNewCartIsEmpty(): void
    {
        $cart = new Cart();
        $this->assertSame(0, $cart->count());
        $this->assertSame(0, $cart->totalCents());
    }

    public function testAddingItemsSumsPrices(): void
    {
        $cart = new Cart();
        $cart->add('apple', 50, 3);
        $cart->add('pear', 75);
        $this->assertSame(4, $cart->count());
        $this->assertSame(225, $cart->totalCents());
    }

    /**
     * @dataProvider discounts
     */
    public function testDiscount(int $percent, int $expected): void
    {
        $cart = new Cart();
        $cart->add('book', 1000);
        $this->assertSame($expected, $cart->totalCents($percent));
    }

    public static function discounts(): array
    {
        return ['none' => [0, 1000], 'ten percent' => [10, 900], 'all' => [100, 0]];
    }

    public function testNegativeQuantityIsRefused(): void
    {
        $this->expectException(InvalidArgumentException::class);
        (new Cart())->add('apple', 50, -1);
    }

    public function testCoupons(): void
    {
        $this->markTestSkipped('coupons are a later step');
    }
}
