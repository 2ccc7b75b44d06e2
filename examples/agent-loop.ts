// An agent loop that keeps a workspace open: each turn's code runs where the previous turns left their
// variables, so the agent reads the files once and computes on them in later turns, and a turn that throws
// is fixed by the next without starting over. The "model" here is a fixed list of turns; a real loop asks
// the model for the next code and shows it the last result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from 'codemode';
import { FsCapability } from 'codemode/capabilities';

const dir = mkdtempSync(join(tmpdir(), 'codemode-agent-'));
writeFileSync(join(dir, 'paris.csv'), 'day,celsius\nmon,18\ntue,21\nwed,21\n');
writeFileSync(join(dir, 'oslo.csv'), 'day,celsius\nmon,4\ntue,7\nwed,1\n');

const turns = [
  // Turn 1 reads every file once; `readings` stays in the workspace.
  `const { entries } = await codemode.fs.readDir({ path: ${JSON.stringify(dir)} });
   const readings = {};
   for (const name of entries.map((entry) => entry.name).sort()) {
     const text = await codemode.fs.readFile({ path: ${JSON.stringify(dir)} + '/' + name });
     readings[name] = text.trim().split('\\n').slice(1).map((line) => Number(line.split(',')[1]));
   }
   Object.keys(readings).length`,
  // Turn 2 computes on what turn 1 read, and keeps a helper for later.
  `function mean(values) { return values.reduce((sum, value) => sum + value, 0) / values.length }
   const means = Object.fromEntries(Object.entries(readings).map(([file, values]) => [file, mean(values)]));
   means`,
  // Turn 3 has a bug: the error points into this turn's code, and the variables are still there.
  `const spread = Object.values(readings).map((values) => values.max() - values.min())`,
  // Turn 4 fixes it, using turn 2's helper.
  `const spread = Object.fromEntries(Object.entries(readings).map(([file, values]) => [file, Math.max(...values) - Math.min(...values)]));
   ({ means, spread, overall: mean(Object.values(means)) })`,
];

const executor = new Executor({ capabilities: [new FsCapability({ allowedPaths: [dir] })] });
const workspace = await executor.workspace();
try {
  for (const [index, code] of turns.entries()) {
    const result = await workspace.run(code);
    // What the model would read next: the value, or the error with its line.
    if (result.ok) console.log(`turn ${index + 1}:`, JSON.stringify(result.value));
    else console.log(`turn ${index + 1}: ${result.error.name} at line ${result.error.line}: ${result.error.message}`);
  }
} finally {
  await executor.close(); // closes its workspaces too
  rmSync(dir, { recursive: true, force: true });
}
