<?php

declare(strict_types=1);

namespace App;

final class Stack implements \Countable
{
    /** @var list<mixed> */
    private array $items = [];

    public function push(mixed $item): void
    {
        $this->items[] = $item;
    }

    public function pop(): mixed
    {
        if ($this->items === []) {
            throw new EmptyStackException('the stack is empty');
        }
        return array_pop($this->items);
    }

    public function peek(): mixed
    {
        if ($this->items === []) {
            throw new EmptyStackException('the stack is empty');
        }
        return $this->items[array_key_last($this->items)];
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
