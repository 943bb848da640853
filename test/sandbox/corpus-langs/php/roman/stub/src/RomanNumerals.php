<?php

declare(strict_types=1);

namespace Roman;

final class RomanNumerals
{
    public static function fromInt(int $n): string
    {
        return '';
    }
}
