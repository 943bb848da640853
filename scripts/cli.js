#!/usr/bin/env node
// `npm run cli -- <command>`: compile when sources changed, then run dist/src/cli.js.
const { execSync, spawnSync } = require('node:child_process');
const { existsSync, statSync, readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
if (!existsSync(path.join(root, 'node_modules')))
  execSync('npm install --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
const stale =
  !existsSync(stamp) || Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'migrations'))) > statSync(stamp).mtimeMs;
if (stale) {
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, '');
}
const r = spawnSync(process.execPath, [path.join(root, 'dist/src/cli.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
