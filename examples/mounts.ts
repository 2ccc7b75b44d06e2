// Host resources as files: model code reads `/network/ip`, a file whose content a host function fetches
// when it is read, draws a picture of it as SVG into `/output` (in memory, empty each run), and the MCP
// client gets that picture back as image content. Server, client and a stand-in IP service share this
// process so the example runs by itself; a real host would fetch e.g. https://api.ipify.org instead.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FsCapability } from 'codemode/capabilities';
import { CodeModeServer } from 'codemode/mcp';

// The stand-in IP service: answers with the address it sees the request come from.
const ipService = createServer((request, response) => response.end(request.socket.remoteAddress?.replace(/^::ffff:/, '')));
await new Promise<void>((resolve) => ipService.listen(0, '127.0.0.1', resolve));
const ipUrl = `http://127.0.0.1:${(ipService.address() as AddressInfo).port}/`;

const fs = new FsCapability({
  mounts: {
    '/network': { files: { ip: async ({ signal }) => (await fetch(ipUrl, { signal })).text() } },
    '/output': { memory: true },
  },
});
const server = new CodeModeServer({ name: 'network', version: '1.0.0', capabilities: [fs] });
const http = await server.serveHttp({ port: 0 });
const client = new Client({ name: 'example-client', version: '1.0.0' });
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  // What a model would send: read a host resource as a file, draw it, leave the picture in /output.
  const result = await client.callTool({
    name: 'execute',
    arguments: {
      code: `
        const ip = (await codemode.fs.readFile({ path: '/network/ip' })).trim();
        const bars = ip.split('.').map((part, i) =>
          \`<rect x="\${20 + i * 45}" y="\${110 - part / 3}" width="35" height="\${part / 3}" fill="teal"/>\`).join('');
        const svg = \`<svg xmlns="http://www.w3.org/2000/svg" width="220" height="130">\${bars}<text x="20" y="125">\${ip}</text></svg>\`;
        await codemode.fs.writeFile({ path: '/output/ip.svg', content: svg });
        return ip;`,
    },
  });
  for (const part of result.content as Array<{ type: string; text?: string; mimeType?: string; data?: string }>) {
    if (part.type === 'text') console.log(part.text);
    if (part.type === 'image') console.log(`image ${part.mimeType}: ${Buffer.from(part.data!, 'base64').toString().slice(0, 60)}…`);
  }
} finally {
  await client.close();
  await server.close();
  ipService.close();
}
