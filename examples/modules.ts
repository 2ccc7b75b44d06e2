// npm packages in model code: the host names them (`modules`), the model imports them as it would anywhere.
// Here papaparse parses a CSV file read through codemode.fs and date-fns formats its dates. Run it from a
// project where both are installed (this repository has them as devDependencies).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from 'codemode';
import { FsCapability } from 'codemode/capabilities';

const data = mkdtempSync(join(tmpdir(), 'codemode-example-'));
writeFileSync(join(data, 'orders.csv'), 'customer,date\nAda,2026-01-02\nGrace,2026-03-15\n');

// What a model would send.
const code = `
import Papa from 'papaparse';
import { format, parseISO } from 'date-fns';
const text = await codemode.fs.readFile({ path: 'orders.csv' });
const { data } = Papa.parse(text, { header: true, skipEmptyLines: true });
return data.map((row) => row.customer + ': ' + format(parseISO(row.date), 'd MMM yyyy'));
`;

const executor = new Executor({ modules: ['papaparse', 'date-fns'], capabilities: [new FsCapability({ allowedPaths: [data] })] });
try {
  const result = await executor.run(code);
  if (result.ok) {
    console.log(result.value);
  } else {
    console.log(`failed (${result.error.kind}): ${result.error.message}`);
    process.exitCode = 1;
  }
} finally {
  await executor.close();
  rmSync(data, { recursive: true, force: true });
}
