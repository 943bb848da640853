<?php

declare(strict_types=1);

namespace App;

final class Stack implements \Countable
{
    public function push(mixed $item): void
    {
    }

    public function pop(): mixed
    {
        throw new \BadMethodCallException('TODO');
    }

    public function peek(): mixed
    {
        throw new \BadMethodCallException('TODO');
    }

    public function isEmpty(): bool
    {
        return false;
    }

    public function count(): int
    {
        return -1;
    }
}
