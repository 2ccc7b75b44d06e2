// Which runs may share an isolate: the runs of one executor and one tenant (an MCP session is a tenant), never
// those of two executors or two tenants. The sandbox process gets an opaque token for that pair, not the
// tenant's name: a tenant may be an MCP session id, which must never reach a sandbox process.
import { createHmac, randomBytes } from 'node:crypto';

/** Fresh per host process: tokens mean nothing outside it. */
const key = randomBytes(32);

/** Tokens made lately (an HMAC costs tens of µs, a run makes one); emptied when full, so it stays small. */
const made = new Map<string, string>();
const MAX_KEPT = 1000;

/** The token of `owner` (an executor's own id) and `tenant`; equal inputs give equal tokens. */
export function isolateAffinity(owner: string, tenant: string | undefined): string {
  // Distinct separators: no tenant and the empty tenant are two tenants.
  const pair = tenant === undefined ? `${owner}\u0000` : `${owner}\u0001${tenant}`;
  let token = made.get(pair);
  if (token === undefined) {
    token = createHmac('sha256', key).update(pair).digest('base64url');
    if (made.size >= MAX_KEPT) made.clear();
    made.set(pair, token);
  }
  return token;
}
