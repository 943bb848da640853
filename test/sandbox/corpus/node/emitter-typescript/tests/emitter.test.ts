import { Emitter } from './emitter';

describe('Emitter', () => {
  it('calls listeners with the payload', () => {
    const e = new Emitter();
    const fn = jest.fn();
    e.on('ping', fn);
    e.emit('ping', 42);
    expect(fn).toHaveBeenCalledWith(42);
  });
  it('removes a listener with off', () => {
    const e = new Emitter();
    const fn = jest.fn();
    e.on('ping', fn);
    e.off('ping', fn);
    e.emit('ping', 1);
    expect(fn).not.toHaveBeenCalled();
  });
  it('once fires only once', () => {
    const e = new Emitter();
    const fn = jest.fn();
    e.once('ping', fn);
    e.emit('ping', 1);
    e.emit('ping', 2);
    expect(fn).toHaveBeenCalledTimes(1);
  });
  it('emit returns whether anyone listened', () => {
    const e = new Emitter();
    expect(e.emit('nobody', 0)).toBe(false);
    e.on('x', () => undefined);
    expect(e.emit('x', 0)).toBe(true);
  });
});
