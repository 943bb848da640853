<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class SandboxWarmupLeapTest extends TestCase
{
    /**
     * @dataProvider years
     */
    public function testYears(int $year, bool $leap): void
    {
        $this->assertSame($leap, SandboxWarmupLeap::isLeap($year));
    }

    public static function years(): array
    {
        return ['2000' => [2000, true], '1900' => [1900, false]];
    }

    public function testFails(): void
    {
        $this->assertEquals(['four' => 4], ['four' => 5], 'a failing test');
    }

    public function testFailsSame(): void
    {
        $this->assertSame(1, 2);
    }

    public function testAssertions(): void
    {
        $this->assertTrue(true);
        $this->assertFalse(false);
        $this->assertNull(null);
        $this->assertCount(1, [1]);
        $this->assertEqualsWithDelta(1.0, 1.001, 0.01);
        $this->assertStringContainsString('a', 'ab');
        $this->assertContains(1, [1]);
        $this->assertArrayHasKey('a', ['a' => 1]);
        $this->assertInstanceOf(Exception::class, new Exception());
        $this->assertGreaterThan(1, 2);
        $this->assertLessThan(2, 1);
        $this->assertEmpty([]);
        $this->assertNotEmpty([1]);
        $this->assertNotSame(1, 2);
        $this->assertMatchesRegularExpression('/a/', 'a');
    }

    public function testThrows(): void
    {
        $this->expectException(InvalidArgumentException::class);
        throw new InvalidArgumentException('no');
    }

    public function testErrors(): void
    {
        throw new RuntimeException('an error');
    }

    public function testSkipped(): void
    {
        $this->markTestSkipped('later');
    }
}
