// http.fetch against real HTTP servers on 127.0.0.1: redirects re-checked per hop, size and time caps,
// host secrets that model code never sees, and addresses vetted once then used for the connection.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpCapability, type HttpCapabilityOptions } from '../../capabilities/index.js';
import { call, refused, visible } from './helpers.js';

const SECRET = 'Bearer sk-live-0123456789abcdef';
let main: Server;
let other: Server;
let port: number;
let otherPort: number;
let base: string;
const seen: { path: string; headers: IncomingHttpHeaders; method: string; body: string }[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

before(async () => {
  main = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, method: req.method ?? '', body });
      const url = new URL(req.url ?? '/', 'http://x');
      const to = url.searchParams.get('to');
      switch (url.pathname) {
        case '/text':
          res.setHeader('content-type', 'text/plain; charset=utf-8');
          res.end('héllo');
          return;
        case '/echo':
          res.setHeader('content-type', 'application/json');
          res.setHeader('x-echo-auth', String(req.headers.authorization ?? ''));
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
          return;
        case '/bytes':
          res.end(Buffer.from([0, 1, 254, 255]));
          return;
        case '/redirect':
          res.statusCode = Number(url.searchParams.get('status') ?? 302);
          res.setHeader('location', to ?? '/text');
          res.end();
          return;
        case '/loop':
          res.statusCode = 302;
          res.setHeader('location', '/loop');
          res.end();
          return;
        case '/big':
          // Far more than the cap, written in chunks: the reader must stop at the cap, not buffer it all.
          for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, 120));
          res.end();
          return;
        case '/hang':
          return; // never answers: only the timeout ends this request
        default:
          res.statusCode = 404;
          res.end('not found');
      }
    });
  });
  other = createServer((req, res) => {
    seen.push({ path: `other:${req.url}`, headers: req.headers, method: req.method ?? '', body: '' });
    res.end('other');
  });
  port = await listen(main);
  otherPort = await listen(other);
  base = `http://127.0.0.1:${port}`;
});
after(() => {
  main.closeAllConnections();
  other.closeAllConnections();
  main.close();
  other.close();
});

function http(extra: Partial<HttpCapabilityOptions> = {}): HttpCapability {
  return new HttpCapability({ allowedHosts: [base], maxResponseBytes: 256 * 1024, ...extra });
}

describe('http.fetch basics', () => {
  it('returns status, headers, text body and final URL', async () => {
    const result = (await call(http(), 'fetch', { url: `${base}/text` })) as { status: number; headers: Record<string, string>; body: string; url: string };
    assert.equal(result.status, 200);
    assert.equal(result.body, 'héllo');
    assert.equal(result.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(result.url, `${base}/text`);
  });

  it('sends a JSON body and parses a JSON response', async () => {
    const result = (await call(http(), 'fetch', { url: `${base}/echo`, method: 'post', json: { a: 1 }, responseType: 'json' })) as { body: { method: string; body: string; headers: Record<string, string> } };
    assert.equal(result.body.method, 'POST');
    assert.equal(result.body.body, '{"a":1}');
    assert.equal(result.body.headers['content-type'], 'application/json');
  });

  it('returns bytes as base64', async () => {
    const result = (await call(http(), 'fetch', { url: `${base}/bytes`, responseType: 'base64' })) as { body: string };
    assert.equal(result.body, 'AAH+/w==');
  });

  it('resolves with any HTTP status instead of rejecting', async () => {
    assert.equal(((await call(http(), 'fetch', { url: `${base}/nothing` })) as { status: number }).status, 404);
  });

  it('refuses CONNECT, TRACE and TRACK, and rejects unknown methods', async () => {
    for (const method of ['CONNECT', 'TRACE', 'track']) await refused(call(http(), 'fetch', { url: `${base}/text`, method }), 'denied');
    await refused(call(http(), 'fetch', { url: `${base}/text`, method: 'BREW' }), 'invalid_input');
    await refused(call(http(), 'fetch', { url: `${base}/text`, body: 'x' }), 'invalid_input');
  });

  it('refuses Host overrides and framing headers, and rejects header injection', async () => {
    for (const name of ['Host', 'transfer-encoding', 'Content-Length', 'X-HTTP-Method-Override']) {
      await refused(call(http(), 'fetch', { url: `${base}/text`, headers: { [name]: 'x' } }), 'denied');
    }
    await refused(call(http(), 'fetch', { url: `${base}/text`, headers: { 'X-A': 'a\r\nHost: evil' } }), 'invalid_input');
  });
});

describe('http.fetch redirects', () => {
  it('follows a redirect to an allowed URL and reports the final URL', async () => {
    const result = (await call(http(), 'fetch', { url: `${base}/redirect?to=/text` })) as { body: string; url: string };
    assert.equal(result.body, 'héllo');
    assert.equal(result.url, `${base}/text`);
  });

  it('refuses a redirect to a port that is not listed', async () => {
    const error = await refused(call(http(), 'fetch', { url: `${base}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${otherPort}/`)}` }), 'denied');
    assert.match(error.message, /^redirect from .*is not allowed/);
    assert.equal(seen.some((s) => s.path.startsWith('other:')), false);
  });

  it('refuses a redirect to a host that is not listed, without resolving it', async () => {
    const asked: string[] = [];
    const cap = http({ lookup: async (name) => (asked.push(name), [{ address: '127.0.0.1' }]) });
    await refused(call(cap, 'fetch', { url: `${base}/redirect?to=${encodeURIComponent(`http://evil.test:${port}/text`)}` }), 'denied');
    assert.deepEqual(asked, []);
  });

  it('refuses redirects to other schemes and to userinfo URLs', async () => {
    for (const to of ['file:///etc/passwd', `http://user:pw@127.0.0.1:${port}/text`, 'gopher://127.0.0.1:70/']) {
      await refused(call(http(), 'fetch', { url: `${base}/redirect?to=${encodeURIComponent(to)}` }), 'denied');
    }
  });

  it('stops after maxRedirects', async () => {
    const error = await refused(call(http({ maxRedirects: 3 }), 'fetch', { url: `${base}/loop` }), 'host');
    assert.match(error.message, /more than 3 redirects/);
  });

  it('returns the redirect itself when followRedirects is false', async () => {
    const result = (await call(http(), 'fetch', { url: `${base}/redirect?to=/text`, followRedirects: false })) as { status: number; headers: Record<string, string> };
    assert.equal(result.status, 302);
    assert.equal(result.headers.location, '/text');
  });

  it('turns a POST into a GET without its body on 303, and keeps both on 307', async () => {
    seen.length = 0;
    const r303 = (await call(http(), 'fetch', { url: `${base}/redirect?status=303&to=/echo`, method: 'POST', body: 'payload', responseType: 'json' })) as { body: { method: string; body: string } };
    assert.deepEqual([r303.body.method, r303.body.body], ['GET', '']);
    const r307 = (await call(http(), 'fetch', { url: `${base}/redirect?status=307&to=/echo`, method: 'POST', body: 'payload', responseType: 'json' })) as { body: { method: string; body: string } };
    assert.deepEqual([r307.body.method, r307.body.body], ['POST', 'payload']);
  });
});

describe('http.fetch limits', () => {
  it('stops reading a body at maxResponseBytes with a clear error', async () => {
    const error = await refused(call(http(), 'fetch', { url: `${base}/big` }), 'host');
    assert.match(error.message, /larger than the limit of 262144 bytes/);
  });

  it('gives up on a server that never answers after timeoutMs', async () => {
    const error = await refused(call(http(), 'fetch', { url: `${base}/hang`, timeoutMs: 50 }), 'host');
    assert.match(error.message, /timed out after 50 ms/);
  });

  it('never waits longer than the host timeout, whatever the model asks', async () => {
    const error = await refused(call(http({ timeoutMs: 40 }), 'fetch', { url: `${base}/hang`, timeoutMs: 600_000 }), 'host');
    assert.match(error.message, /timed out after 40 ms/);
  });

  it('stops when the run ends', async () => {
    const controller = new AbortController();
    const pending = call(http(), 'fetch', { url: `${base}/hang` }, controller.signal);
    controller.abort();
    const error = await refused(pending, 'host');
    assert.match(error.message, /run ended/);
  });
});

describe('http.fetch host secrets', () => {
  const secretCap = () =>
    new HttpCapability({
      allowedHosts: [base, { host: `http://other.test:${otherPort}`, allowPrivateAddresses: true }],
      headers: { [base]: { Authorization: SECRET } },
      lookup: async () => [{ address: '127.0.0.1' }],
    });

  it('sends the secret header, and scrubs it from the body and headers it comes back in', async () => {
    seen.length = 0;
    const result = (await call(secretCap(), 'fetch', { url: `${base}/echo` })) as { body: string; headers: Record<string, string> };
    assert.equal(seen[0]?.headers.authorization, SECRET);
    assert.ok(!JSON.stringify(result).includes('sk-live-0123456789abcdef'));
    assert.match(result.body, /\[REDACTED\]/);
    assert.equal(result.headers['x-echo-auth'], '[REDACTED]');
  });

  it('refuses to let model code set or override the secret header', async () => {
    const error = await refused(call(secretCap(), 'fetch', { url: `${base}/echo`, headers: { authorization: 'Bearer mine' } }), 'denied');
    assert.ok(!visible(error).includes('sk-live'));
  });

  it('scrubs the secret from an error about a redirect that carries it', async () => {
    const to = encodeURIComponent(`http://evil.test/?token=${SECRET.slice(7)}`);
    const error = await refused(call(secretCap(), 'fetch', { url: `${base}/redirect?to=${to}` }), 'denied');
    assert.ok(!visible(error).includes('sk-live-0123456789abcdef'));
    assert.match(error.message, /REDACTED/);
  });

  it('does not send the secret to another origin after a redirect', async () => {
    seen.length = 0;
    const to = encodeURIComponent(`http://other.test:${otherPort}/landing`);
    const result = (await call(secretCap(), 'fetch', { url: `${base}/redirect?to=${to}` })) as { body: string };
    assert.equal(result.body, 'other');
    const landing = seen.find((s) => s.path === 'other:/landing');
    assert.ok(landing);
    assert.equal(landing.headers.authorization, undefined);
  });

  it('sends no secret after a cross-origin redirect, even to a host whose key matches', async () => {
    seen.length = 0;
    const cap = new HttpCapability({
      allowedHosts: [base, { host: `http://other.test:${otherPort}`, allowPrivateAddresses: true }],
      headers: { [base]: { Authorization: SECRET }, [`http://other.test:${otherPort}`]: { 'X-Api-Key': 'other-secret-value' } },
      lookup: async () => [{ address: '127.0.0.1' }],
    });
    await call(cap, 'fetch', { url: `${base}/redirect?to=${encodeURIComponent(`http://other.test:${otherPort}/landing`)}` });
    const landing = seen.find((s) => s.path === 'other:/landing');
    assert.deepEqual([landing?.headers.authorization, landing?.headers['x-api-key']], [undefined, undefined]);
    seen.length = 0;
    await call(cap, 'fetch', { url: `http://other.test:${otherPort}/direct` });
    assert.equal(seen.find((s) => s.path === 'other:/direct')?.headers['x-api-key'], 'other-secret-value');
  });

  it("drops the model's own Authorization and Cookie on a cross-origin redirect", async () => {
    seen.length = 0;
    const cap = new HttpCapability({ allowedHosts: [base, { host: `http://other.test:${otherPort}`, allowPrivateAddresses: true }], lookup: async () => [{ address: '127.0.0.1' }] });
    const to = encodeURIComponent(`http://other.test:${otherPort}/landing`);
    await call(cap, 'fetch', { url: `${base}/redirect?to=${to}`, headers: { Authorization: 'Bearer mine', Cookie: 'a=b', 'X-Keep': '1' } });
    const landing = seen.find((s) => s.path === 'other:/landing');
    assert.deepEqual([landing?.headers.authorization, landing?.headers.cookie, landing?.headers['x-keep']], [undefined, undefined, '1']);
  });
});

describe('http.fetch address vetting', () => {
  const named = (allowPrivateAddresses: boolean, answers: string[][]) => {
    let calls = 0;
    const cap = new HttpCapability({
      allowedHosts: [{ host: `http://app.test:${port}`, allowPrivateAddresses }, `http://*.wild.test:${port}`, `http://localhost:${port}`],
      lookup: async () => (answers[Math.min(calls++, answers.length - 1)] ?? []).map((address) => ({ address })),
    });
    return { cap, calls: () => calls };
  };

  it('refuses a host name that resolves to a loopback or private address', async () => {
    const { cap } = named(false, [['127.0.0.1']]);
    const error = await refused(call(cap, 'fetch', { url: `http://app.test:${port}/text` }), 'denied');
    assert.match(error.message, /resolves to a loopback address/);
    assert.ok(!error.message.includes('127.0.0.1'), 'the resolved address is not shown');
  });

  it('refuses when any one of several answers is private', async () => {
    const { cap } = named(true, [['93.184.216.34', '169.254.169.254']]);
    await refused(call(cap, 'fetch', { url: `http://app.test:${port}/text` }), 'denied');
  });

  it('refuses private answers for wildcard entries, whatever else is allowed', async () => {
    const { cap } = named(true, [['10.0.0.7']]);
    await refused(call(cap, 'fetch', { url: `http://a.wild.test:${port}/text` }), 'denied');
  });

  it('refuses IPv4-mapped, NAT64 and metadata answers', async () => {
    for (const address of ['::ffff:127.0.0.1', '64:ff9b::a00:1', 'fd00:ec2::254', '0.0.0.0']) {
      const { cap } = named(false, [[address]]);
      await refused(call(cap, 'fetch', { url: `http://app.test:${port}/text` }), 'denied');
    }
    const { cap } = named(true, [['169.254.169.254']]);
    await refused(call(cap, 'fetch', { url: `http://app.test:${port}/text` }), 'denied');
  });

  it('lets localhost reach loopback only', async () => {
    assert.equal(((await call(named(false, [['127.0.0.1']]).cap, 'fetch', { url: `http://localhost:${port}/text` })) as { body: string }).body, 'héllo');
    await refused(call(named(false, [['192.168.0.9']]).cap, 'fetch', { url: `http://localhost:${port}/text` }), 'denied');
  });

  it('connects to the vetted address, resolving once even if DNS changes its answer', async () => {
    // First answer: loopback (allowed for this entry). Every later answer: an unroutable private address.
    // The request succeeds only if the socket uses the first, vetted answer and never asks DNS itself
    // ("app.test" does not exist in real DNS).
    const { cap, calls } = named(true, [['127.0.0.1'], ['10.255.255.1']]);
    const result = (await call(cap, 'fetch', { url: `http://app.test:${port}/redirect?to=/text` })) as { body: string; url: string };
    assert.equal(result.body, 'héllo');
    assert.equal(result.url, `http://app.test:${port}/text`);
    assert.equal(calls(), 1);
  });

  it('reports a name that does not resolve as a host error', async () => {
    const cap = new HttpCapability({ allowedHosts: [`http://app.test:${port}`], lookup: async () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) });
    const error = await refused(call(cap, 'fetch', { url: `http://app.test:${port}/` }), 'host');
    assert.match(error.message, /cannot resolve app\.test \(ENOTFOUND\)/);
  });
});
