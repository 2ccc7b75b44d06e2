// A consumer of the package by its name, as a user's project writes it: compiled by consumer.test.ts against
// the built .d.ts files with the strictest options (exactOptionalPropertyTypes, no skipLibCheck). Excluded
// from the repository's own build. Type-only checks: it is never run.
import { z } from 'zod';
import { CodemodeError, Executor, defineCapability, defineTool, type ExecutorOptions, type RunResult } from 'codemode';
import { EnvCapability, FsCapability, HttpCapability } from 'codemode/capabilities';
import { CodeModeServer } from 'codemode/mcp';

const getWeather = defineTool({
  name: 'getWeather',
  description: 'Current temperature in °C for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ city: z.string(), celsius: z.number() }),
  run: async ({ city }) => ({ city, celsius: city.length }),
});

const untyped = defineTool({ name: 'anything', description: 'No output schema: any value.', input: z.object({}), run: () => new Date() });

// @ts-expect-error: `celsius` must be a number, as the output schema says.
defineTool({ name: 'bad', description: 'Wrong output.', input: z.object({}), output: z.object({ celsius: z.number() }), run: () => ({ celsius: 'warm' }) });

// @ts-expect-error: an async run is held to the output schema too.
defineTool({ name: 'badAsync', description: 'Wrong output.', input: z.object({}), output: z.string(), run: async () => 42 });

const options: ExecutorOptions = {
  tools: [getWeather, untyped],
  capabilities: [
    new FsCapability({ allowedPaths: ['./data', { path: './out', write: true }] }),
    new EnvCapability({ allowedKeys: ['HOME'] }),
    new HttpCapability({ allowedHosts: ['api.example.com'] }),
    new FsCapability({
      mounts: {
        '/data': { dir: './data', write: true },
        '/network': { files: { ip: async ({ signal }) => (await fetch('https://api.ipify.org', { signal })).text() } },
        '/docs': { resolve: async (subpath) => (subpath === 'a.md' ? '# A' : null), list: () => ['a.md'] },
        '/output': { memory: true, maxBytes: 1024 },
        '/artifacts': { artifacts: true },
      },
    }),
    defineCapability({ name: 'math', tools: [untyped] }),
  ],
  timeoutMs: 5_000,
  approve: () => true,
};

export async function main(): Promise<RunResult> {
  const executor = new Executor(options);
  const server = new CodeModeServer({ ...options, name: 'weather', enableSearch: true, onRunEnd: ({ result }) => void result.ok });
  try {
    await executor.warmup();
    const result = await executor.run('return 1', { timeoutMs: 1_000, signal: AbortSignal.timeout(2_000) });
    if (!result.ok) console.log(result.error.kind, result.error.hint);
    for (const file of result.files ?? []) console.log(file.path, file.contentType, file.size, file.bytes.byteLength);
    return result;
  } catch (error) {
    if (error instanceof CodemodeError) console.log(error.code);
    throw error;
  } finally {
    await Promise.all([executor.close(), server.close()]);
  }
}
