<?php

declare(strict_types=1);

class Clock
{
    public function __construct(int $hours, int $minutes = 0)
    {
        throw new \BadFunctionCallException('Implement the Clock class');
    }

    public function add(int $minutes): Clock
    {
        throw new \BadFunctionCallException('Implement the add method');
    }

    public function __toString(): string
    {
        throw new \BadFunctionCallException('Implement the __toString method');
    }
}
