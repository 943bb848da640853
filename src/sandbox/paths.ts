import { existsSync } from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/**
 * The repository's `sandboxes/` folder: SANDBOXES_DIR when set, else found by walking up from
 * this file (works from src/sandbox under ts-jest and from dist/src/sandbox after tsc).
 */
export function sandboxesDir(): string {
  if (process.env.SANDBOXES_DIR) return path.resolve(process.env.SANDBOXES_DIR);
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'sandboxes');
    if (existsSync(path.join(candidate, 'base', 'build-base.sh'))) return (cached = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the sandboxes/ folder; set SANDBOXES_DIR');
    dir = parent;
  }
}
