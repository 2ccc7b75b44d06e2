// `npm run bench:mounts`: what the fs capability's mounts cost per call, next to a plain tool call doing
// nothing with the same data (the floor: bridge, pipeline and schema checks). Each figure is a whole run of
// 20 sequential calls, so per-run costs (a fresh isolate, collecting result.files) are in it too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Executor, defineTool } from '../src/index.js';
import { FsCapability } from '../capabilities/index.js';
import { time, type Figure } from './stats.js';

const CALLS = 20;
const CONTENT = `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(300)}</svg>`; // ≈ 9 KB

const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-mounts-'));
const sink = defineTool({ name: 'sink', description: 'Takes content, keeps nothing.', input: z.object({ path: z.string(), content: z.string() }), run: () => ({ bytesWritten: 0 }) });
const source = defineTool({ name: 'source', description: 'Gives content.', input: z.object({ path: z.string() }), run: () => CONTENT });
const fs = new FsCapability({
  mounts: {
    '/output': { memory: true },
    '/disk': { dir, write: true },
    '/host': { files: { 'a.svg': () => CONTENT } },
  },
});
const executor = new Executor({ tools: [sink, source], capabilities: [fs] });

const loop = (call: string) => `for (let i = 0; i < ${CALLS}; i++) await ${call};`;
const content = JSON.stringify(CONTENT);

async function perCall(code: string): Promise<Figure> {
  const figure = await time(40, 5, async () => {
    const result = await executor.run(code);
    if (!result.ok) throw new Error(result.error.message);
  });
  return { median: (figure.median * 1000) / CALLS, p95: (figure.p95 * 1000) / CALLS, samples: figure.samples };
}

try {
  await executor.warmup();
  const rows: Array<[string, Figure, Figure]> = [];
  const plainWrite = await perCall(loop(`codemode.sink({ path: '/output/a.svg', content: ${content} })`));
  rows.push(['writeFile of 9 KB to a memory mount', await perCall(loop(`codemode.fs.writeFile({ path: '/output/a.svg', content: ${content} })`)), plainWrite]);
  rows.push(['writeFile of 9 KB to a directory mount', await perCall(loop(`codemode.fs.writeFile({ path: '/disk/a.svg', content: ${content} })`)), plainWrite]);
  const plainRead = await perCall(loop(`codemode.source({ path: '/host/a.svg' })`));
  rows.push(['readFile of 9 KB from a host-resolved mount', await perCall(loop(`codemode.fs.readFile({ path: '/host/a.svg' })`)), plainRead]);
  rows.push(['readFile of 9 KB from a directory mount', await perCall(loop(`codemode.fs.readFile({ path: '/disk/a.svg' })`)), plainRead]);
  console.log(`| figure (µs per call, ${CALLS} calls per run) | median | p95 | floor: a plain tool with the same data | ratio |`);
  console.log('|---|---|---|---|---|');
  for (const [name, figure, floor] of rows) {
    console.log(`| ${name} | ${figure.median.toFixed(0)} | ${figure.p95.toFixed(0)} | ${floor.median.toFixed(0)} | ${(figure.median / floor.median).toFixed(2)}× |`);
  }
} finally {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
}
