<?php

namespace Shop;

final class Cart
{
    public function add(string $name, int $priceCents, int $quantity = 1): void
    {
        $this->items[] = [$name, $priceCents $quantity];
    }
}
