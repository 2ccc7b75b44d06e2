// Module figures for `npm run bench` (src/modules): what importing a module costs a run, next to the same
// kind of run without one, and what V8's code cache saves when a sandbox process compiles a bundle again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Executor } from '../src/index.js';
import { bundleModule } from '../src/modules/bundle.js';
import { findPackage } from '../src/modules/package.js';
import { time, type Figure } from './stats.js';

export interface ModuleRow {
  figure: string;
  unit: string;
  value: Figure;
  floorName: string;
  floor: Figure;
}

/** The repository: papaparse and date-fns are its devDependencies. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function moduleRows(): Promise<ModuleRow[]> {
  const executor = new Executor({ modules: ['papaparse', 'date-fns'], moduleRoot: ROOT, minProcesses: 1 });
  try {
    await executor.warmup();
    const run = (code: string) => async () => {
      const result = await executor.run(code);
      if (!result.ok) throw new Error(`bench module run failed: ${JSON.stringify(result.error)}`);
    };
    const plain = await time(300, 30, run("return 'a,b\\n1,2'.split('\\n').length"));
    const papa = await time(300, 30, run("import Papa from 'papaparse';\nreturn Papa.parse('a,b\\n1,2').data.length"));
    const dates = await time(300, 30, run("import { format } from 'date-fns';\nreturn format(new Date(0), 'yyyy')"));
    const rows: ModuleRow[] = [
      { figure: "run importing papaparse, one Papa.parse", unit: 'ms', value: papa, floorName: 'the same run without import', floor: plain },
      { figure: 'run importing date-fns, one format', unit: 'ms', value: dates, floorName: 'the same run without import', floor: plain },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-modules-'));
    try {
      for (const name of ['papaparse', 'date-fns']) {
        const bundled = await bundleModule(findPackage(name, ROOT), ROOT);
        const file = join(dir, `${name}.js`);
        writeFileSync(file, bundled.source);
        const probe = new URL('./module-cache-probe.js', import.meta.url).pathname;
        const { cached, uncached } = JSON.parse(execFileSync(process.execPath, ['--no-node-snapshot', '--no-lazy', probe, file, '30'], { encoding: 'utf8' })) as { cached: Figure; uncached: Figure };
        rows.push({ figure: `compile the ${name} bundle (${Math.round(bundled.source.length / 1024)} KB), code cache`, unit: 'ms', value: cached, floorName: 'compiled without cache', floor: uncached });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  } finally {
    await executor.close();
  }
}
