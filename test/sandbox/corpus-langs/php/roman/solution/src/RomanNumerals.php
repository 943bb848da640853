<?php

declare(strict_types=1);

namespace Roman;

final class RomanNumerals
{
    private const SYMBOLS = [
        'M' => 1000, 'CM' => 900, 'D' => 500, 'CD' => 400, 'C' => 100, 'XC' => 90,
        'L' => 50, 'XL' => 40, 'X' => 10, 'IX' => 9, 'V' => 5, 'IV' => 4, 'I' => 1,
    ];

    public static function fromInt(int $n): string
    {
        if ($n < 1 || $n > 3999) {
            throw new \OutOfRangeException("$n cannot be written in Roman numerals");
        }
        $out = '';
        foreach (self::SYMBOLS as $symbol => $value) {
            while ($n >= $value) {
                $out .= $symbol;
                $n -= $value;
            }
        }
        return $out;
    }
}
