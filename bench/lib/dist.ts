import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let snapshot: string | undefined;

/**
 * A private copy of the built app (`npm run build` output) for this run. Other engineers rebuild the shared
 * tree (`rm -rf dist`) while a bench may be running; the copy keeps the measured server and its migrations
 * stable. node_modules is a symlink, so module resolution and the preloaded statement counter see the same
 * packages as the tree itself.
 */
export function appDist(): string {
  if (snapshot) return snapshot;
  const source = join(ROOT, 'dist');
  if (!existsSync(join(source, 'main.js'))) throw new Error('dist/main.js is missing: run npm run build (npm run bench does)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-app-'));
  cpSync(source, join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  snapshot = join(dir, 'dist');
  return snapshot;
}
