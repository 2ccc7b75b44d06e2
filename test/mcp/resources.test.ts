// Artifacts as MCP resources, through the SDK's real Client: listed with a URI, content type and size,
// read back as text or as a base64 blob, a missing one refused with the spec's code, and a list-changed
// notification after exactly the `execute` calls that changed the artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError, ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { ArtifactsCapability } from '../../capabilities/index.js';
import { CodemodeError } from '../../src/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { FileStorage } from '../../src/storage/index.js';
import { tempDir } from '../capabilities/helpers.js';
import { execute } from './helpers.js';

const dir = tempDir('mcp-resources');
const storage = new FileStorage({ dir: dir.dir });
let server: CodeModeServer;
let client: Client;
let changes = 0;

before(async () => {
  server = new CodeModeServer({ capabilities: [new ArtifactsCapability({ storage })], artifacts: storage });
  client = new Client({ name: 'test', version: '1' });
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    changes++;
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
});
after(async () => {
  await client.close();
  await server.close();
  await storage.close();
  dir.cleanup();
});

describe('artifacts as MCP resources', () => {
  test('what model code saves is listed and readable: text and JSON as text, bytes as a blob', async () => {
    assert.deepEqual((await client.listResources()).resources, []);
    const saved = await execute(
      client,
      `await codemode.artifacts.save({ name: 'notes/hello world.txt', data: 'héllo' });
       await codemode.artifacts.save({ name: 'data.json', data: { a: [1, 2] } });
       await codemode.artifacts.save({ name: 'dot.png', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png' });`,
    );
    assert.equal(saved.isError, false, saved.text);
    assert.equal(changes, 1, 'one list-changed notification, before the execute result');
    const { resources } = await client.listResources();
    assert.ok(resources.every((r) => r.title === r.name && /^(JSON|text|bytes), saved \d{4}-\d\d-\d\dT/.test(r.description ?? '')), JSON.stringify(resources));
    assert.deepEqual(resources.map(({ title: _t, description: _d, ...rest }) => rest), [
      { uri: 'codemode://artifacts/data.json', name: 'data.json', mimeType: 'application/json', size: 11 },
      { uri: 'codemode://artifacts/dot.png', name: 'dot.png', mimeType: 'image/png', size: 4 },
      { uri: 'codemode://artifacts/notes/hello%20world.txt', name: 'notes/hello world.txt', mimeType: 'text/plain; charset=utf-8', size: 6 },
    ]);
    const read = async (uri: string) => (await client.readResource({ uri })).contents;
    assert.deepEqual(await read('codemode://artifacts/notes/hello%20world.txt'), [{ uri: 'codemode://artifacts/notes/hello%20world.txt', mimeType: 'text/plain; charset=utf-8', text: 'héllo' }]);
    assert.deepEqual(await read('codemode://artifacts/data.json'), [{ uri: 'codemode://artifacts/data.json', mimeType: 'application/json', text: '{"a":[1,2]}' }]);
    assert.deepEqual(await read('codemode://artifacts/dot.png'), [{ uri: 'codemode://artifacts/dot.png', mimeType: 'image/png', blob: Buffer.from([137, 80, 78, 71]).toString('base64') }]);
  });

  test('a missing artifact or a traversal URI is refused with the spec code -32002', async () => {
    for (const uri of ['codemode://artifacts/nope.txt', 'codemode://artifacts/..%2F..%2Fetc%2Fpasswd', 'codemode://artifacts/%E0%A4%A']) {
      await assert.rejects(client.readResource({ uri }), (error: unknown) => error instanceof McpError && error.code === -32002, uri);
    }
  });

  test('list-changed goes out after a run that changed artifacts, and not after one that did not', async () => {
    const before = changes;
    await execute(client, `return (await codemode.artifacts.list()).length`);
    assert.equal(changes, before, 'reading changes nothing');
    await execute(client, `await codemode.artifacts.delete({ name: 'dot.png' })`);
    assert.equal(changes, before + 1);
    await execute(client, `await codemode.artifacts.save({ name: 'data.json', data: { a: [3] } })`);
    assert.equal(changes, before + 2, 'a new version of an existing artifact is a change');
  });

  test('the artifacts option must be a Storage', () => {
    assert.throws(() => new CodeModeServer({ artifacts: {} as never }), (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && /expected `artifacts` to be a Storage/.test(error.message));
  });
});
