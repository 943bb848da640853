<?php

declare(strict_types=1);

class Leap
{
    public static function isLeap(int $year): bool
    {
        throw new \BadFunctionCallException('Implement the isLeap method');
    }
}
