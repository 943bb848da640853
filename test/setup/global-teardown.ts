import { rmSync } from 'node:fs';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as any).__TEST_PG__;
  if (handle?.startedHere) {
    await handle.stop();
    rmSync(path.resolve(__dirname, '../../var/test-pg', `${process.pid}-${new URL(handle.url).port}`), { recursive: true, force: true });
  }
}
