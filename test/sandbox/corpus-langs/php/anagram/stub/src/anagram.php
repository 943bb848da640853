<?php

declare(strict_types=1);

function detectAnagrams(string $word, array $candidates): array
{
    throw new \BadFunctionCallException('Implement the detectAnagrams function');
}
