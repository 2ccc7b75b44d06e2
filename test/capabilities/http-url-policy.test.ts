// Which URLs an HttpCapability allowlist admits, as a table of verdicts. No network: checkUrl only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodemodeError, ToolError } from '../../capabilities/shared/public-api.js';
import { HttpCapability } from '../../capabilities/index.js';
import { checkUrl, parseEntry } from '../../capabilities/http/url-policy.js';

const entries = [
  'api.example.com',
  '*.example.org',
  'host.test:8443',
  'http://127.0.0.1:8080',
  'http://[::1]:9000',
  { host: 'internal.test', allowPrivateAddresses: true },
].map((entry, i) => parseEntry('test', `allowedHosts[${i}]`, entry));

type Verdict = 'allow' | 'denied' | 'invalid_input';
const cases: [url: string, verdict: Verdict, why: string][] = [
  ['https://api.example.com/v1/items?q=1', 'allow', 'an exact host on https'],
  ['https://API.Example.COM/v1', 'allow', 'host case is normalized'],
  ['HTTPS://api.example.com/', 'allow', 'scheme case is normalized'],
  ['https://api.example.com./v1', 'allow', 'a trailing dot names the same host'],
  ['https://api.example.com:443/', 'allow', 'the default port written out'],
  ['  https://api.example.com/\t', 'allow', 'surrounding whitespace is trimmed by the parser'],
  ['https://api.example.com/%2e%2e/admin', 'allow', 'the path is the server\'s business'],
  ['https://api.example.com:8443/', 'denied', 'a port not listed'],
  ['http://api.example.com/', 'denied', 'plain http when only https is listed'],
  ['https://user:pw@api.example.com/', 'denied', 'userinfo'],
  ['https://@api.example.com/', 'denied', 'an empty userinfo'],
  ['https://api.example.com:443@evil.com/', 'denied', 'an allowed host as userinfo'],
  ['https://api.example.com@evil.com/', 'denied', 'an allowed host as userinfo (no port)'],
  ['https://evil.com#@api.example.com/', 'denied', 'an allowed host after a fragment'],
  ['https://evil.com\\@api.example.com/', 'denied', 'a backslash the parser reads as a slash'],
  ['https://api.example.com.evil.com/', 'denied', 'an allowed host as a prefix'],
  ['https://api.example.com%2eevil.com/', 'denied', 'an encoded dot in the host (decoded by the parser)'],
  ['https://evilapi.example.com/', 'denied', 'a suffix match that is not a subdomain'],
  ['https://a.example.org/', 'allow', 'a subdomain under a wildcard'],
  ['https://a.b.example.org/', 'allow', 'a deeper subdomain under a wildcard'],
  ['https://bücher.example.org/', 'allow', 'an IDN under a wildcard (punycoded by the parser)'],
  ['https://example.org/', 'denied', 'the apex of a wildcard'],
  ['https://xexample.org/', 'denied', 'a name ending in the wildcard suffix'],
  ['https://host.test:8443/', 'allow', 'a host:port entry'],
  ['https://host.test/', 'denied', 'a host:port entry on the default port'],
  ['http://127.0.0.1:8080/', 'allow', 'an explicit http IP entry'],
  ['http://2130706433:8080/', 'allow', 'a decimal form of the listed IP (the parser makes it 127.0.0.1)'],
  ['http://0x7f.1:8080/', 'allow', 'a hex short form of the listed IP'],
  ['http://0177.0.0.1:8080/', 'allow', 'an octal form of the listed IP'],
  ['http://127.0.0.1:8081/', 'denied', 'the listed IP on another port'],
  ['https://127.0.0.1:8080/', 'denied', 'the listed IP on https'],
  ['http://127.0.0.2:8080/', 'denied', 'another loopback address'],
  ['http://[::ffff:127.0.0.1]:8080/', 'denied', 'the listed IPv4 address written as IPv4-mapped IPv6'],
  ['http://localhost:8080/', 'denied', 'localhost when only 127.0.0.1 is listed'],
  ['http://[::1]:9000/', 'allow', 'an IPv6 entry'],
  ['http://[0:0:0:0:0:0:0:1]:9000/', 'allow', 'an IPv6 entry in long form'],
  ['http://2130706433/', 'denied', 'a decimal IP not listed'],
  ['http://169.254.169.254/latest/meta-data/', 'denied', 'the metadata address not listed'],
  ['file:///etc/passwd', 'denied', 'file:'],
  ['data:text/plain,hello', 'denied', 'data:'],
  ['blob:https://api.example.com/0f1e', 'denied', 'blob:'],
  ['gopher://api.example.com/', 'denied', 'gopher:'],
  ['ftp://api.example.com/', 'denied', 'ftp:'],
  ['ws://api.example.com/', 'denied', 'ws:'],
  ['javascript:alert(1)', 'denied', 'javascript:'],
  ['api.example.com/v1', 'invalid_input', 'no scheme'],
  ['/v1/items', 'invalid_input', 'a relative URL'],
  ['http://[fe80::1%25eth0]/', 'invalid_input', 'an IPv6 zone id (the parser rejects it)'],
  [`https://api.example.com/${'x'.repeat(9000)}`, 'invalid_input', 'a URL over the length limit'],
];

describe('checkUrl verdicts', () => {
  for (const [url, verdict, why] of cases) {
    it(`${verdict === 'allow' ? 'allows' : `refuses (${verdict})`} ${why}: ${JSON.stringify(url.slice(0, 60))}`, () => {
      if (verdict === 'allow') {
        const checked = checkUrl(url, entries);
        assert.equal(checked.url.hostname.endsWith('.'), false);
        return;
      }
      assert.throws(() => checkUrl(url, entries), (e: unknown) => e instanceof ToolError && e.kind === verdict);
    });
  }

  it('requests exactly the URL it checked, without the trailing dot or fragment', () => {
    const { url, hostname } = checkUrl('https://API.example.com.:443/a/../b?x=1#frag', entries);
    assert.equal(url.href, 'https://api.example.com/b?x=1');
    assert.equal(hostname, 'api.example.com');
  });

  it('lists the allowed hosts in the hint of a refusal', () => {
    assert.throws(() => checkUrl('https://evil.com/', entries), (e: unknown) => e instanceof ToolError && /Allowed hosts: api\.example\.com, \*\.example\.org/.test(e.hint ?? ''));
  });
});

describe('allowlist entries', () => {
  const bad: [unknown, RegExp][] = [
    ['ftp://files.example.com', /only http:\/\/ and https:\/\//],
    ['https://api.example.com/v1', /name a host, not a path/],
    ['user:pw@api.example.com', /credentials/],
    ['*', /not a valid host|leading/],
    ['*.127.0.0.1', /wildcard cannot apply to an IP/],
    ['a*.example.com', /leading "\*\." label/],
    ['', /expected `allowedHosts\[0\]` to be a host/],
    [{ host: 'x.test', allowPrivateAddresses: 'yes' }, /to be a boolean, got `"yes"`/],
    [{ host: 'x.test', private: true }, /unknown key private/],
    [{ host: '*.x.test', allowPrivateAddresses: true }, /needs an exact host/],
  ];
  for (const [entry, pattern] of bad) {
    it(`rejects ${JSON.stringify(entry)} at construction`, () => {
      assert.throws(() => new HttpCapability({ allowedHosts: [entry as string] }), (e: unknown) => e instanceof CodemodeError && e.code === 'INVALID_OPTION' && pattern.test(e.message));
    });
  }

  it('reads scheme, port and wildcard from an entry', () => {
    assert.deepEqual(parseEntry('t', 'e', 'http://Example.COM.'), { shown: 'http://Example.COM.', scheme: 'http:', host: 'example.com', wildcard: false, port: 80, ip: false, allowPrivate: false });
    assert.deepEqual(parseEntry('t', 'e', '*.example.com:8443'), { shown: '*.example.com:8443', scheme: 'https:', host: 'example.com', wildcard: true, port: 8443, ip: false, allowPrivate: false });
    assert.equal(parseEntry('t', 'e', '[::1]:80').ip, true);
  });

  it('refuses at construction a time limit longer than node timers can wait, instead of failing each call', () => {
    assert.throws(
      () => new HttpCapability({ allowedHosts: ['api.example.com'], timeoutMs: 2 ** 32 }),
      (e: unknown) => e instanceof CodemodeError && e.message === 'HttpCapability: expected `timeoutMs` to be an integer from 1 to 2147483647 (milliseconds), got `4294967296` (number)',
    );
  });

  it('never shows a secret header value in an option error', () => {
    assert.throws(
      () => new HttpCapability({ allowedHosts: ['api.example.com'], headers: { 'api.example.com': { Authorization: 'Bearer s3cr3t\r\nX: y' } } }),
      (e: unknown) => e instanceof CodemodeError && !e.message.includes('s3cr3t') && /value not shown/.test(e.message),
    );
  });
});
