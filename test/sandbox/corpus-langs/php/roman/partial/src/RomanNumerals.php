<?php

declare(strict_types=1);

namespace Roman;

// no subtractive notation, and zero is the empty string
final class RomanNumerals
{
    public static function fromInt(int $n): string
    {
        $out = '';
        foreach (['M' => 1000, 'D' => 500, 'C' => 100, 'L' => 50, 'X' => 10, 'V' => 5, 'I' => 1] as $symbol => $value) {
            while ($n >= $value) {
                $out .= $symbol;
                $n -= $value;
            }
        }
        return $out;
    }
}
