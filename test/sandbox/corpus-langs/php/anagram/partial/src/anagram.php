<?php

declare(strict_types=1);

// case-sensitive
function detectAnagrams(string $word, array $candidates): array
{
    $key = static function (string $w): string {
        $chars = str_split($w);
        sort($chars);
        return implode('', $chars);
    };
    return array_values(array_filter($candidates, static fn (string $c): bool => $c !== $word && $key($c) === $key($word)));
}
