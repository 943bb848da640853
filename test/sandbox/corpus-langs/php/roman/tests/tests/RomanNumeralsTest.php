<?php

declare(strict_types=1);

namespace Roman\Tests;

use PHPUnit\Framework\TestCase;
use Roman\RomanNumerals;

final class RomanNumeralsTest extends TestCase
{
    public static function numbers(): \Generator
    {
        yield 'one' => [1, 'I'];
        yield 'four' => [4, 'IV'];
        yield 'fifty-eight' => [58, 'LVIII'];
        yield 'nineteen ninety-four' => [1994, 'MCMXCIV'];
    }

    /**
     * @dataProvider numbers
     */
    public function testConverts(int $number, string $expected): void
    {
        $this->assertSame($expected, RomanNumerals::fromInt($number));
    }

    public function testZeroIsRefused(): void
    {
        $this->expectException(\OutOfRangeException::class);
        RomanNumerals::fromInt(0);
    }
}
