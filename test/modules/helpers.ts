// Module fixtures: packages written into a real temp project's node_modules, for what a real package from
// npm cannot show on demand (one that needs `fs`, one that loops when it loads, ...).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, whose devDependencies hold the real modules of these tests (papaparse, date-fns). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A temp project with a package per entry (`index.js` as given; other files by name); removed by `cleanup`. */
export function fixtureProject(packages: Record<string, string | Record<string, string>>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'codemode-modules-'));
  for (const [name, files] of Object.entries(packages)) {
    const folder = join(root, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, version: '1.2.3', main: 'index.js' }));
    for (const [file, text] of Object.entries(typeof files === 'string' ? { 'index.js': files } : files)) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
