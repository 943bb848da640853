<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

class ClockTest extends TestCase
{
    public function testOnTheHour(): void
    {
        $this->assertEquals('08:00', (string) new Clock(8));
    }

    public function testMidnightIsZero(): void
    {
        $this->assertEquals('00:00', (new Clock(24, 0))->__toString());
    }

    public function testNegativeMinutes(): void
    {
        $this->assertEquals('23:20', (string) new Clock(0, -40));
    }

    public function testAdd(): void
    {
        $this->assertEquals('00:01', (string) (new Clock(23, 59))->add(2));
    }

    public function testClocksADayApartAreEqual(): void
    {
        $this->assertEquals(new Clock(15, 37), new Clock(39, 37));
    }
}
