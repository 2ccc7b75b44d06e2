// Workflows: model code saves reusable, typed code; later runs call it as codemode.workflows.<name>(input).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, Executor } from 'codemode';
import { FileStorage } from 'codemode/storage';

const getWeather = defineTool({
  name: 'getWeather',
  description: 'Current temperature in °C for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ city: z.string(), celsius: z.number() }),
  run: ({ city }) => ({ city, celsius: ({ Paris: 18, Oslo: 4, Lima: 22 } as Record<string, number>)[city] ?? 15 }),
});

const dir = mkdtempSync(join(tmpdir(), 'codemode-example-')); // a real app would use e.g. '.codemode'
const storage = new FileStorage({ dir }); // or new RedisStorage({ url: 'redis://127.0.0.1:6379' })
const executor = new Executor({ tools: [getWeather], storage });
try {
  // One run saves a workflow (it is type-checked against the tools first)...
  await executor.run(`
    await codemode.workflows.save({
      name: 'warmest',
      description: 'The warmest of some cities.',
      code: \`async function run(input: { cities: string[] }): Promise<{ city: string; celsius: number }> {
        const all = await Promise.all(input.cities.map((city) => codemode.getWeather({ city })));
        return all.reduce((best, next) => (next.celsius > best.celsius ? next : best));
      }\`,
    });
  `);
  // ...the next ones see it in the declarations, typed, and call it.
  console.log(executor.declarations().match(/^ {4}warmest\(.*$/m)?.[0].trim());
  const result = await executor.run(`return await codemode.workflows.warmest({ cities: ['Paris', 'Oslo', 'Lima'] })`);
  console.log(result.ok ? result.value : result.error.message);
} finally {
  await executor.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
