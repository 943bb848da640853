<?php

declare(strict_types=1);

final class WordCount
{
    /** @return array<string, int> */
    public static function count(string $text): array
    {
        $counts = [];
        foreach (preg_split("/[^\\p{L}\\p{N}']+/u", mb_strtolower($text), -1, PREG_SPLIT_NO_EMPTY) as $word) {
            $counts[$word] = ($counts[$word] ?? 0) + 1;
        }
        return $counts;
    }
}
