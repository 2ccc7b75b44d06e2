// Run in its own process with the sandbox's V8 flags (--no-lazy, --no-node-snapshot): compiling a module
// bundle in a fresh isolate, from V8's code cache (as a sandbox process does after its first compile) and
// without it. Prints {"cached": Figure, "uncached": Figure} in milliseconds.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type ivmModule from 'isolated-vm';
import { summarize } from './stats.js';

const ivm = createRequire(import.meta.url)('isolated-vm') as typeof ivmModule;
const [file = '', countText = '30'] = process.argv.slice(2);
const source = readFileSync(file, 'utf8');
const count = Number(countText);

function compile(cachedData?: ivmModule.ExternalCopy<ArrayBuffer>): { ms: number; cache?: ivmModule.ExternalCopy<ArrayBuffer> } {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const start = performance.now();
    const script: ivmModule.Script & ivmModule.CachedDataResult = isolate.compileScriptSync(source, cachedData ? { cachedData } : { produceCachedData: true });
    const ms = performance.now() - start;
    return script.cachedData ? { ms, cache: script.cachedData } : { ms };
  } finally {
    isolate.dispose();
  }
}

const { cache } = compile();
const cached: number[] = [];
const uncached: number[] = [];
for (let i = 0; i < count; i++) {
  uncached.push(compile().ms);
  cached.push(compile(cache).ms);
}
process.stdout.write(JSON.stringify({ cached: summarize(cached), uncached: summarize(uncached) }));
