<?php

declare(strict_types=1);

namespace Shop;

final class Cart
{
    public function add(string $name, int $priceCents, int $quantity = 1): void
    {
    }

    public function count(): int
    {
        return -1;
    }

    public function totalCents(int $discountPercent = 0): int
    {
        return -1;
    }
}
