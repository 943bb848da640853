export class Stack<T> {
  push(_item: T): void {
    throw new Error('not implemented');
  }
  pop(): T {
    throw new Error('not implemented');
  }
  peek(): T | undefined {
    throw new Error('not implemented');
  }
  size(): number {
    throw new Error('not implemented');
  }
  isEmpty(): boolean {
    throw new Error('not implemented');
  }
}
