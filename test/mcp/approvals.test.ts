// Approvals through MCP elicitation, with real SDK clients: one that accepts, one that declines, one that
// dismisses, and one that cannot elicit at all. The tool runs only after an accept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { defineTool } from '../../src/index.js';
import { CodeModeServer, type HttpServer } from '../../src/mcp/index.js';
import { execute, httpClient } from './helpers.js';

const deployed: string[] = [];
const deploy = defineTool({
  name: 'deploy',
  description: 'Deploys the app to an environment.',
  input: z.object({ env: z.string() }),
  approval: 'ask',
  run: ({ env }) => {
    deployed.push(env);
    return `deployed to ${env}`;
  },
});

const server = new CodeModeServer({ tools: [deploy] });
let http: HttpServer;
before(async () => {
  http = await server.serveHttp({ port: 0 });
});
after(() => server.close());

const CODE = 'try { return await codemode.deploy({ env: "staging" }) } catch (e) { return [e.kind, e.message] }';

/** A client that answers every elicitation with `action`, recording what it was asked. */
async function answering(action: ElicitResult['action'], asked: ElicitRequest['params'][] = []): Promise<Client> {
  const client = await httpClient(http.url, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push(request.params);
    return { action };
  });
  return client;
}

describe('approvals through elicitation', () => {
  test('a client that accepts lets the call run, after showing the tool, its description and its input', async () => {
    deployed.length = 0;
    const asked: ElicitRequest['params'][] = [];
    const client = await answering('accept', asked);
    try {
      const result = await execute(client, CODE);
      assert.equal(result.text, 'Result: "deployed to staging"');
      assert.deepEqual(deployed, ['staging']);
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.message, 'Allow codemode.deploy?\nDeploys the app to an environment.\nInput: {"env":"staging"}');
    } finally {
      await client.close();
    }
  });

  test('a client that declines denies the call, and the code sees kind denied', async () => {
    deployed.length = 0;
    const client = await answering('decline');
    try {
      const result = await execute(client, CODE);
      assert.equal(result.text, 'Result: ["denied","codemode.deploy was not approved: the user declined"]');
      assert.deepEqual(deployed, []);
    } finally {
      await client.close();
    }
  });

  test('a dismissed question (cancel) denies the call too', async () => {
    deployed.length = 0;
    const client = await answering('cancel');
    try {
      const result = await execute(client, CODE);
      assert.equal(result.text, 'Result: ["denied","codemode.deploy was not approved: the user dismissed the question"]');
      assert.deepEqual(deployed, []);
    } finally {
      await client.close();
    }
  });

  test('a client without elicitation gets the call denied with the reason', async () => {
    deployed.length = 0;
    const client = await httpClient(http.url);
    try {
      const result = await execute(client, 'return await codemode.deploy({ env: "prod" })');
      assert.equal(result.isError, true);
      assert.match(result.text, /^Error \(denied\) at line 1: PermissionDenied: codemode\.deploy was not approved: this MCP client cannot ask the user for approval \(it does not support elicitation\)/);
      assert.deepEqual(deployed, []);
    } finally {
      await client.close();
    }
  });

  test('an approve option replaces elicitation', async () => {
    const strict = new CodeModeServer({ tools: [deploy], approve: ({ input }) => (input as { env: string }).env === 'staging' });
    const served = await strict.serveHttp({ port: 0 });
    const client = await httpClient(served.url);
    try {
      deployed.length = 0;
      assert.equal((await execute(client, CODE)).text, 'Result: "deployed to staging"');
      assert.equal((await execute(client, CODE.replace('staging', 'prod'))).text, 'Result: ["denied","codemode.deploy was not approved"]');
      assert.deepEqual(deployed, ['staging']);
    } finally {
      await client.close();
      await strict.close();
    }
  });
});
