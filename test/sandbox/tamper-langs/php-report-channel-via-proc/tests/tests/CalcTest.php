<?php

use PHPUnit\Framework\TestCase;

// TAMPER-MARKER-PHP: hidden test text that must never come back to anyone.
final class CalcTest extends TestCase
{
    public function testAddsSmallNumbers(): void
    {
        $this->assertSame(5, Calc::add(2, 3));
    }

    public function testAddsZero(): void
    {
        $this->assertSame(7, Calc::add(7, 0));
    }
}
