import { existsSync } from 'node:fs';
import path from 'node:path';

let root: string | undefined;
/** The folder holding package.json (works from src/ under ts-jest and from dist/src/). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  root = dir;
  return dir;
}
