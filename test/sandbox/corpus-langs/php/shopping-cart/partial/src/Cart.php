<?php

declare(strict_types=1);

namespace Shop;

final class Cart
{
    private int $count = 0;
    private int $total = 0;

    // no validation, discount ignored
    public function add(string $name, int $priceCents, int $quantity = 1): void
    {
        $this->count += $quantity;
        $this->total += $priceCents * $quantity;
    }

    public function count(): int
    {
        return $this->count;
    }

    public function totalCents(int $discountPercent = 0): int
    {
        return $this->total;
    }
}
