<?php

declare(strict_types=1);

final class WordCount
{
    public static function count(string $text): array
    {
        return ['TODO' => 0];
    }
}
