<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

class LeapTest extends TestCase
{
    /**
     * @dataProvider leapYears
     */
    public function testLeapYears(int $year): void
    {
        $this->assertTrue(Leap::isLeap($year));
    }

    public function leapYears(): array
    {
        return [[1996], [2000], [2024]];
    }

    /**
     * @dataProvider commonYears
     */
    public function testCommonYears(int $year): void
    {
        $this->assertFalse(Leap::isLeap($year), "$year is a common year");
    }

    public function commonYears(): array
    {
        return [[1997], [1900], [2100]];
    }
}
