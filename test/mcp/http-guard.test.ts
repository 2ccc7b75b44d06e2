// Who may reach the HTTP server: bearer token (missing or wrong → 401, right → works), the health endpoint
// (no token, no session facts), the DNS-rebinding check on loopback, unknown sessions, bad options.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CodeModeServer, type HttpServer } from '../../src/mcp/index.js';
import { CodemodeError } from '../../src/index.js';
import { execute, getWeather, httpClient } from './helpers.js';

const TOKEN = 'secret-token-0123456789';
const server = new CodeModeServer({ tools: [getWeather] });
let http: HttpServer;
before(async () => {
  http = await server.serveHttp({ port: 0, token: TOKEN });
});
after(() => server.close());

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

function post(headers: Record<string, string>): Promise<Response> {
  return fetch(http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: INITIALIZE,
  });
}

/** A raw request with a Host header of our choosing (fetch does not let us set it). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: http.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP access', () => {
  test('binds 127.0.0.1 by default and reports the MCP url, and that only this machine can reach it', () => {
    assert.equal(http.host, '127.0.0.1');
    assert.equal(http.url, `http://127.0.0.1:${http.port}/mcp`);
    assert.equal(http.loopback, true);
  });

  test('a request without the token gets 401 with WWW-Authenticate', async () => {
    const response = await post({});
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
  });

  test('a wrong token, a token of another length and another scheme all get 401', async () => {
    for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}x`, 'Bearer short', `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`]) {
      assert.equal((await post({ authorization })).status, 401, authorization);
    }
  });

  test('the right token works with the real client', async () => {
    const client = await httpClient(http.url, {}, { authorization: `Bearer ${TOKEN}` });
    try {
      assert.equal((await execute(client, 'return (await codemode.getWeather({ city: "Paris" })).celsius')).text, 'Result: 18');
    } finally {
      await client.close();
    }
  });

  test('the real client without the token cannot connect', async () => {
    await assert.rejects(httpClient(http.url));
  });

  test('GET /health answers ok without a token and says nothing about sessions', async () => {
    const response = await fetch(new URL('/health', http.url));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"status":"ok"}');
  });

  test('a request addressed to another host name is refused (DNS rebinding)', async () => {
    assert.equal((await rawGet('/health', { host: 'attacker.example' })).status, 403);
    assert.equal((await rawGet('/health', { host: `localhost:${http.port}` })).status, 200);
    assert.equal((await rawGet('/health', { host: `127.0.0.1:${http.port}`, origin: 'https://attacker.example' })).status, 403);
  });

  test('an unknown session id gets 404 and a sessionless GET gets 400', async () => {
    const authorization = `Bearer ${TOKEN}`;
    const unknown = await fetch(http.url, { method: 'GET', headers: { authorization, 'mcp-session-id': 'nope', accept: 'text/event-stream' } });
    assert.equal(unknown.status, 404);
    const sessionless = await fetch(http.url, { method: 'GET', headers: { authorization, accept: 'text/event-stream' } });
    assert.equal(sessionless.status, 400);
  });

  test('a sessionless request that is not an initialize gets 400', async () => {
    const response = await fetch(http.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(response.status, 400);
  });

  test('other paths are 404', async () => {
    assert.equal((await fetch(new URL('/other', http.url))).status, 404);
  });

  test('an empty token is refused at startup instead of meaning no token', async () => {
    await assert.rejects(server.serveHttp({ port: 0, token: '' }), (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && /`token`/.test(error.message));
  });
});
