import { retry } from './retry';

function failing(times: number) {
  let calls = 0;
  const fn = async () => {
    calls++;
    if (calls <= times) throw new Error(`fail ${calls}`);
    return 'ok';
  };
  return { fn, calls: () => calls };
}

test('returns the first success', async () => {
  const f = failing(0);
  await expect(retry(f.fn, 3, 1)).resolves.toBe('ok');
  expect(f.calls()).toBe(1);
});

test('retries after failures', async () => {
  const f = failing(1);
  await expect(retry(f.fn, 3, 1)).resolves.toBe('ok');
  expect(f.calls()).toBe(2);
});

test('succeeds on the last attempt', async () => {
  const f = failing(2);
  await expect(retry(f.fn, 3, 1)).resolves.toBe('ok');
});

test('rejects with the last error after all attempts', async () => {
  const f = failing(5);
  await expect(retry(f.fn, 3, 1)).rejects.toThrow('fail 3');
  expect(f.calls()).toBe(3);
});
