// codemode as an MCP server: one `execute` tool whose description carries the TypeScript API of your tools.
// Server and client share this process so the example runs by itself; in real use an MCP client (Claude
// Desktop, Claude Code) launches `server.serveStdio()`, or connects to `server.serveHttp({ port })`.
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { defineTool } from 'codemode';
import { CodeModeServer } from 'codemode/mcp';

const getWeather = defineTool({
  name: 'getWeather',
  description: 'Current temperature in °C for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ city: z.string(), celsius: z.number() }),
  run: ({ city }) => ({ city, celsius: { Paris: 18, Oslo: 4, Lima: 22 }[city] ?? 15 }),
});

const server = new CodeModeServer({ name: 'weather', version: '1.0.0', tools: [getWeather] });
const http = await server.serveHttp({ port: 0 }); // 127.0.0.1 and a free port; add `token` to require a bearer token

const client = new Client({ name: 'example-client', version: '1.0.0' });
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  const { tools } = await client.listTools();
  console.log('tools:', tools.map((tool) => tool.name).join(', '));

  // What a model would send: one script instead of one tool call per city.
  const result = await client.callTool({
    name: 'execute',
    arguments: {
      code: `
        const readings = await Promise.all(['Paris', 'Oslo', 'Lima'].map((city) => codemode.getWeather({ city })));
        console.log('fetched', readings.length, 'readings');
        return readings.sort((a, b) => b.celsius - a.celsius)[0];`,
    },
  });
  // The text the model reads; `result.structuredContent` holds the same as { ok, value, logs }.
  for (const part of result.content as Array<{ type: string; text?: string }>) if (part.type === 'text') console.log(part.text);
} finally {
  await client.close();
  await server.close();
}
