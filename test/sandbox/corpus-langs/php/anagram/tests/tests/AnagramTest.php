<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class AnagramTest extends TestCase
{
    /**
     * @testWith ["listen", ["enlists", "google", "inlets"], ["inlets"]]
     *           ["master", ["stream", "pigeon", "maters"], ["stream", "maters"]]
     *           ["Orchestra", ["cashregister", "Carthorse"], ["Carthorse"]]
     */
    public function testDetects(string $word, array $candidates, array $expected): void
    {
        $this->assertSame($expected, detectAnagrams($word, $candidates));
    }

    public function testAWordIsNotItsOwnAnagram(): void
    {
        $this->assertSame([], detectAnagrams('BANANA', ['Banana']));
    }

    public function testNoMatches(): void
    {
        $this->assertEmpty(detectAnagrams('diaper', ['hello', 'world']));
    }
}
