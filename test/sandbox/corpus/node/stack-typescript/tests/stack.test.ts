import { Stack } from './stack';

describe('Stack', () => {
  it('starts empty', () => {
    const s = new Stack<number>();
    expect(s.isEmpty()).toBe(true);
    expect(s.size()).toBe(0);
  });
  it('pops in reverse order', () => {
    const s = new Stack<string>();
    s.push('a');
    s.push('b');
    expect(s.pop()).toBe('b');
    expect(s.pop()).toBe('a');
  });
  it('peek returns top', () => {
    const s = new Stack<number>();
    s.push(1);
    s.push(2);
    expect(s.peek()).toBe(2);
    expect(s.size()).toBe(2);
  });
  it('pop on empty throws', () => {
    expect(() => new Stack<number>().pop()).toThrow('empty');
  });
});
