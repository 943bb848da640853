<?php

declare(strict_types=1);

namespace App\Tests;

use App\EmptyStackException;
use App\Stack;
use PHPUnit\Framework\TestCase;

final class StackTest extends TestCase
{
    private Stack $stack;

    protected function setUp(): void
    {
        $this->stack = new Stack();
    }

    public function testStartsEmpty(): void
    {
        $this->assertCount(0, $this->stack);
        $this->assertTrue($this->stack->isEmpty());
    }

    public function testPopReturnsTheLastItem(): void
    {
        $this->stack->push('a');
        $this->stack->push('b');
        $this->assertSame('b', $this->stack->pop());
        $this->assertSame('a', $this->stack->pop());
    }

    public function testPeekDoesNotRemove(): void
    {
        $this->stack->push(7);
        $this->assertSame(7, $this->stack->peek());
        $this->assertCount(1, $this->stack);
    }

    public function testPopOnEmptyThrows(): void
    {
        $this->expectException(EmptyStackException::class);
        $this->expectExceptionMessage('empty');
        $this->stack->pop();
    }
}
