// Who may talk to the HTTP server: the bearer token check, and the DNS-rebinding check for a server bound
// to loopback. Both fail closed: a configured token that is missing or wrong is a 401, and a loopback
// server answers only requests addressed to a loopback name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Checks `Authorization: Bearer <token>` in constant time against a configured token. */
export class BearerToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  /** True only for the exact token. Digests have equal length, so the comparison time says nothing about it. */
  matches(header: string | undefined): boolean {
    const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    // Hash even a missing token, so a request without one costs the same as a wrong one.
    const given = sha256(match?.[1] ?? '');
    return timingSafeEqual(given, this.digest) && match !== null;
  }
}

export function isLoopbackName(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * For a server bound to loopback: true when the request is addressed to a loopback name (Host header) and,
 * if it comes from a web page (Origin header), that page is on loopback too. A web page on another site
 * that rebinds its own name to 127.0.0.1 sends its own name in both, and is refused.
 */
export function addressedToLoopback(request: IncomingMessage): boolean {
  const host = hostnameOf(request.headers.host);
  if (host === undefined || !isLoopbackName(host)) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const originHost = hostnameOf(origin);
  return originHost !== undefined && isLoopbackName(originHost);
}

/** The hostname of a Host header (`127.0.0.1:8080`) or of an origin (`http://localhost:3000`). */
function hostnameOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
