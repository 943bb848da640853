<?php

declare(strict_types=1);

class Leap
{
    // forgets the century rule
    public static function isLeap(int $year): bool
    {
        return $year % 4 === 0;
    }
}
