<?php

declare(strict_types=1);

namespace Shop;

use InvalidArgumentException;

final class Cart
{
    /** @var array<string, array{price: int, quantity: int}> */
    private array $items = [];

    public function add(string $name, int $priceCents, int $quantity = 1): void
    {
        if ($quantity <= 0 || $priceCents < 0) {
            throw new InvalidArgumentException('quantity must be positive and price not negative');
        }
        $this->items[$name] ??= ['price' => $priceCents, 'quantity' => 0];
        $this->items[$name]['quantity'] += $quantity;
    }

    public function count(): int
    {
        return array_sum(array_column($this->items, 'quantity'));
    }

    public function totalCents(int $discountPercent = 0): int
    {
        $total = 0;
        foreach ($this->items as $item) {
            $total += $item['price'] * $item['quantity'];
        }
        return intdiv($total * (100 - $discountPercent), 100);
    }
}
