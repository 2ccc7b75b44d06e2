// The HTTP front's own limits: open connections, header and request time, and sessions whose client left
// without DELETE (the SDK's client.close()) are reclaimed long before the idle timeout.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { CodemodeError } from '../../src/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { execute, getWeather, httpClient } from './helpers.js';

/** Resolves once `check()` is true, looking again on every turn of the event loop after a short pause. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server writes until it closes the connection. */
function answer(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.once('close', () => resolve(text));
  });
}

describe('HTTP limits', () => {
  test('connections beyond maxConnections are closed at once', async () => {
    const server = new CodeModeServer({ minProcesses: 0 });
    const http = await server.serveHttp({ port: 0, maxConnections: 2 });
    const held: Socket[] = [];
    try {
      // Two keep-alive connections, each answered once so the server has surely counted them.
      for (let i = 0; i < 2; i++) {
        const socket = await open(http.port);
        held.push(socket);
        const first = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
        socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
        assert.match(await first, /^HTTP\/1.1 200/);
      }
      const third = await open(http.port);
      const refused = answer(third);
      third.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      assert.equal(await refused, '');
    } finally {
      for (const socket of held) socket.destroy();
      await server.close();
    }
  });

  test('a client that sends its headers too slowly gets 408 and is disconnected', async () => {
    const server = new CodeModeServer({ minProcesses: 0 });
    const http = await server.serveHttp({ port: 0, headersTimeoutMs: 50, requestTimeoutMs: 1000 });
    try {
      const socket = await open(http.port);
      const text = answer(socket);
      socket.write('POST /mcp HTTP/1.1\r\nHost: localhost\r\n');
      assert.match(await text, /^HTTP\/1.1 408/);
    } finally {
      await server.close();
    }
  });

  test('a header timeout longer than the request timeout is refused, naming both', async () => {
    const server = new CodeModeServer({ minProcesses: 0 });
    try {
      await assert.rejects(
        server.serveHttp({ port: 0, headersTimeoutMs: 5000, requestTimeoutMs: 1000 }),
        (error: CodemodeError) => error.code === 'INVALID_OPTION' && /`headersTimeoutMs` to be at most `requestTimeoutMs` \(1000\), got 5000/.test(error.message),
      );
    } finally {
      await server.close();
    }
  });
});

describe('sessions whose client is gone', () => {
  test('clients that close without DELETE give their session slots back, and a live client keeps its own', async () => {
    const server = new CodeModeServer({ tools: [getWeather], minProcesses: 0 });
    const http = await server.serveHttp({ port: 0, maxSessions: 3, sessionGoneMs: 20 });
    const live = await httpClient(http.url);
    try {
      const leaving = await Promise.all([httpClient(http.url), httpClient(http.url)]);
      assert.equal(http.openSessions(), 3);
      // The SDK's close() aborts the event stream and sends no DELETE.
      await Promise.all(leaving.map((client) => client.close()));
      await until(() => http.openSessions() === 1);
      const newcomers = await Promise.all([httpClient(http.url), httpClient(http.url)]);
      assert.equal(http.openSessions(), 3);
      assert.equal((await execute(live, 'return await codemode.getWeather({ city: "Oslo" })')).text, 'Result: {"city":"Oslo","celsius":4}');
      for (const client of newcomers) await client.close();
    } finally {
      await live.close();
      await server.close();
    }
  });
});
