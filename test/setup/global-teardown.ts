export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as any).__TEST_PG__;
  if (handle?.startedHere) await handle.stop();
}
