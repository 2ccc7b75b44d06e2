// Modules as a user's program configures them, from the installed package: esbuild (an optional platform
// binary from npm) bundles a package of the user's project, a run imports it, and a package that needs
// Node is refused by name. The packages are written into a real temp project.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Executor } from 'codemode';
import { tempDir } from './helpers.mjs';

const project = tempDir();
const packages = {
  'tiny-csv': "export const rows = (text) => text.trim().split('\\n').map((line) => line.split(','));\nexport default { version: 1 };",
  'reads-files': "const fs = require('fs');\nmodule.exports = (path) => fs.readFileSync(path, 'utf8');",
};
for (const [name, code] of Object.entries(packages)) {
  mkdirSync(join(project.path, 'node_modules', name), { recursive: true });
  writeFileSync(join(project.path, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...(code.includes('export') ? { type: 'module' } : {}) }));
  writeFileSync(join(project.path, 'node_modules', name, 'index.js'), code);
}
after(() => project.remove());

describe(`modules on Node ${process.version}`, () => {
  test('a run imports a module of the project, and a later run sees it unchanged', async () => {
    const executor = new Executor({ modules: ['tiny-csv'], moduleRoot: project.path, minProcesses: 0 });
    try {
      const first = await executor.run("import csv, { rows } from 'tiny-csv';\ncsv.version = 2;\nreturn rows('a,b\\n1,2');");
      assert.deepEqual(first.ok && first.value, [['a', 'b'], ['1', '2']]);
      const later = await executor.run("import csv from 'tiny-csv';\nreturn csv.version;");
      assert.equal(later.ok && later.value, 1);
    } finally {
      await executor.close();
    }
  });

  test('a module that needs Node is refused by name', async () => {
    const executor = new Executor({ modules: ['reads-files'], moduleRoot: project.path, minProcesses: 0 });
    try {
      await assert.rejects(executor.warmup(), (error) => error.code === 'MODULE_REFUSED' && /needs the Node built-in "fs"/.test(error.message));
    } finally {
      await executor.close();
    }
  });
});
