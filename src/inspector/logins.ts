// Who may see the inspector: a person who typed the server's bearer token into the login form gets a
// random session id in an HttpOnly, SameSite=Strict cookie, and a CSRF token that every state-changing
// request must echo in a header. Scripts may send `Authorization: Bearer <token>` instead (no cookie, so no
// CSRF risk). Sessions expire and are capped: the oldest goes first.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The server's token check (the MCP endpoint's): true only for `Bearer <the token>`. */
export interface TokenCheck {
  matches(header: string | undefined): boolean;
}

export const COOKIE_NAME = 'codemode_inspector';
const SESSION_MS = 12 * 60 * 60_000;
const MAX_LOGINS = 64;

export interface Login {
  readonly csrf: string;
  readonly expiresAt: number;
}

export class Logins {
  private readonly logins = new Map<string, Login>();

  constructor(private readonly token: TokenCheck) {}

  /** A new login for the right token; undefined for a wrong one. */
  open(typed: string): { id: string; login: Login } | undefined {
    if (!this.token.matches(`Bearer ${typed}`)) return undefined;
    const id = randomBytes(32).toString('base64url');
    const login = { csrf: randomBytes(32).toString('base64url'), expiresAt: Date.now() + SESSION_MS };
    this.logins.set(id, login);
    while (this.logins.size > MAX_LOGINS) this.logins.delete(this.logins.keys().next().value!);
    return { id, login };
  }

  /** The login the request's cookie names, if it is current. */
  of(request: IncomingMessage): { id: string; login: Login } | undefined {
    const id = cookie(request.headers.cookie, COOKIE_NAME);
    if (id === undefined) return undefined;
    const login = this.logins.get(id);
    if (!login) return undefined;
    if (login.expiresAt <= Date.now()) {
      this.logins.delete(id);
      return undefined;
    }
    return { id, login };
  }

  /** True when the request carries the server's bearer token (scripts using the JSON API). */
  bearer(request: IncomingMessage): boolean {
    return request.headers.authorization !== undefined && this.token.matches(request.headers.authorization);
  }

  close(id: string): void {
    this.logins.delete(id);
  }

  static cookieHeader(id: string): string {
    return `${COOKIE_NAME}=${id}; HttpOnly; SameSite=Strict; Path=/inspector; Max-Age=${SESSION_MS / 1000}`;
  }

  static clearedCookie(): string {
    return `${COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/inspector; Max-Age=0`;
  }
}

/** Compares a CSRF header with the login's token in constant time. */
export function csrfMatches(login: Login, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(login.csrf);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8_192) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
