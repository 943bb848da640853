<?php

declare(strict_types=1);

// negative minutes are not wrapped, and the fields are kept as given
class Clock
{
    public function __construct(private int $hours, private int $minutes = 0)
    {
    }

    public function add(int $minutes): Clock
    {
        $total = $this->hours * 60 + $this->minutes + $minutes;
        return new Clock(intdiv($total, 60) % 24, $total % 60);
    }

    public function __toString(): string
    {
        $total = $this->hours * 60 + $this->minutes;
        return sprintf('%02d:%02d', intdiv($total, 60) % 24, $total % 60);
    }
}
