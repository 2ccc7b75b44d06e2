// Run in its own process (with --no-node-snapshot): resident memory per idle isolate, either raw
// (isolate + context) or as the sandbox prepares them (isolate + context + harness). Prints MB per isolate.
import { createRequire } from 'node:module';
import type ivmModule from 'isolated-vm';
import { prepareIsolate } from '../src/sandbox/isolate.js';

const ivm = createRequire(import.meta.url)('isolated-vm') as typeof ivmModule;
const [mode = 'raw', countText = '50'] = process.argv.slice(2);
const count = Number(countText);

const warm = mode === 'raw' ? new ivm.Isolate({ memoryLimit: 128 }) : prepareIsolate(ivm, 128).isolate;
warm.createContextSync();
const before = process.memoryUsage().rss;
const kept: unknown[] = [];
for (let i = 0; i < count; i++) {
  if (mode === 'raw') {
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    const context = isolate.createContextSync();
    context.evalSync('1');
    kept.push(isolate, context);
  } else {
    kept.push(prepareIsolate(ivm, 128));
  }
}
process.stdout.write(String((process.memoryUsage().rss - before) / count / 2 ** 20));
