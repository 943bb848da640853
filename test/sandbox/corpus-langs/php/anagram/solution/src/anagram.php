<?php

declare(strict_types=1);

function detectAnagrams(string $word, array $candidates): array
{
    $key = static function (string $w): string {
        $chars = mb_str_split(mb_strtolower($w));
        sort($chars);
        return implode('', $chars);
    };
    $lower = mb_strtolower($word);
    return array_values(array_filter(
        $candidates,
        static fn (string $c): bool => mb_strtolower($c) !== $lower && $key($c) === $key($word),
    ));
}
