<?php

declare(strict_types=1);

// splits on spaces only and keeps the case
final class WordCount
{
    public static function count(string $text): array
    {
        return array_count_values(explode(' ', $text));
    }
}
