// The run inspector and approval console: a page at `/inspector` on the MCP server's HTTP port, behind the
// same bearer token. It shows recent runs live (server-sent events, nothing polls) and answers approval
// questions. Everything model code produced reaches the page as JSON text that the page puts in the DOM
// with `textContent`, and a strict Content-Security-Policy forbids any script but our own file.
//
//   GET  /inspector                       the page (or the login form)
//   POST /inspector/login                 form field `token`; sets the session cookie
//   POST /inspector/logout                ends the cookie session
//   GET  /inspector/app.js, app.css       the page's assets (no data)
//   GET  /inspector/api/runs              { runs: RunSummary[], pending: PendingApproval[] }
//   GET  /inspector/api/runs/<runId>      RunDetail
//   GET  /inspector/api/events            text/event-stream of InspectorEvent
//   POST /inspector/api/approvals/<id>    { allowed: boolean, reason?: string }
//   GET  /inspector/api/paused            { paused: PausedRunView[] }: durable runs waiting for decisions
//   POST /inspector/api/paused/<runId>    { decisions: { "<callId>": { allowed, reason? } } }: resumes it
//
// The API takes the cookie (and, for POST, the CSRF token in `X-CSRF-Token`) or `Authorization: Bearer`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Approver } from '../pipeline/approval.js';
import { ApprovalDesk, type PendingApproval } from './desk.js';
import { Logins, csrfMatches, type Login, type TokenCheck } from './logins.js';
import { APP_CSS, APP_JS, loginPage, mainPage } from './page.js';
import { RunBook, type BookEvent, type RunSummary } from './recorder.js';
import { decisionsOf, pausedRuns, type DurableRuns, type PausedRunView } from './paused.js';
import { CodemodeError } from '../errors.js';

export const INSPECTOR_PATH = '/inspector';
const MAX_BODY_BYTES = 4_096;
/** Decisions for every call of a wide Promise.all, each with a reason. */
const MAX_DECISIONS_BYTES = 262_144;
const MAX_STREAMS = 16;
/** A stream whose reader fell this far behind is closed (the page reconnects and takes a fresh snapshot). */
const MAX_STREAM_BACKLOG = 1_048_576;
const HEARTBEAT_MS = 15_000;
/** Pending approvals sent in one snapshot or event; the rest wait their turn. */
const SHOWN_PENDING = 100;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not no-referrer: with it, Chromium sends `Origin: null` on the login form's POST, which the loopback guard refuses.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** What the event stream sends (`data:` lines of JSON). */
export type InspectorEvent =
  | { type: 'snapshot'; runs: RunSummary[]; pending: PendingApproval[] }
  | { type: 'approvals'; pending: PendingApproval[] }
  /** The paused durable runs changed: the page reads `/inspector/api/paused` again. */
  | { type: 'paused' }
  | Exclude<BookEvent, { type: 'end' }>
  | { type: 'end'; run: RunSummary; value?: string; error?: unknown };

export class Inspector {
  readonly path = INSPECTOR_PATH;
  readonly book: RunBook;
  readonly desk: ApprovalDesk;
  private readonly streams = new Set<ServerResponse>();
  private readonly stop: (() => void)[] = [];

  /** `durable`: the executor whose paused durable runs the page lists and resumes (it needs a storage). */
  constructor(
    maxRuns: number,
    private readonly durable?: DurableRuns,
  ) {
    this.book = new RunBook(maxRuns);
    this.desk = new ApprovalDesk((runId, name) => this.book.linesNaming(runId, name));
    this.stop.push(
      this.book.onEvent((event) => {
        this.broadcast(event.type === 'end' ? endEvent(event.run) : event);
        if (event.type === 'end' && event.run.status === 'paused') this.broadcast({ type: 'paused' });
      }),
      this.desk.onChange(() => this.broadcast({ type: 'approvals', pending: this.desk.pending().slice(0, SHOWN_PENDING) })),
    );
    const heartbeat = setInterval(() => {
      for (const stream of this.streams) stream.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    this.stop.push(() => clearInterval(heartbeat));
  }

  /** Runs `work` with the runs it starts shown on the page, under the MCP session `session`. */
  track<T>(session: string | undefined, work: () => T): T {
    return this.book.track(session, work);
  }

  /** The approver for a run of `session`: the page, raced with `other` (elicitation) when given. */
  approver(session: string | undefined, other: Approver | undefined): Approver {
    return this.desk.approver(session, other);
  }

  /** What serves `/inspector` on an HTTP server whose bearer token is `token` (its logins are its own). */
  front(token: TokenCheck): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void> {
    const logins = new Logins(token);
    return (request, response, path) => this.handle(request, response, path, logins);
  }

  private async handle(request: IncomingMessage, response: ServerResponse, path: string, logins: Logins): Promise<void> {
    const method = request.method ?? 'GET';
    if (path === `${INSPECTOR_PATH}/app.js` && method === 'GET') return send(response, 200, 'text/javascript; charset=utf-8', APP_JS);
    if (path === `${INSPECTOR_PATH}/app.css` && method === 'GET') return send(response, 200, 'text/css; charset=utf-8', APP_CSS);
    if (path === `${INSPECTOR_PATH}/login` && method === 'POST') return this.login(request, response, logins);

    const session = logins.of(request);
    const bearer = session === undefined && logins.bearer(request);
    if (path === INSPECTOR_PATH && method === 'GET') {
      if (!session) return send(response, 200, 'text/html; charset=utf-8', loginPage(''));
      return send(response, 200, 'text/html; charset=utf-8', mainPage(session.login.csrf));
    }
    if (!session && !bearer) return sendJson(response, 401, { error: 'log in at /inspector, or send Authorization: Bearer <token>' });
    if (method === 'POST' && session && !sameOriginPost(request, session.login)) {
      return sendJson(response, 403, { error: 'a state-changing request needs the X-CSRF-Token header of the page, from the same origin' });
    }

    if (path === `${INSPECTOR_PATH}/logout` && method === 'POST') {
      if (session) logins.close(session.id);
      return sendJson(response, 200, { ok: true }, { 'set-cookie': Logins.clearedCookie() });
    }
    if (path === `${INSPECTOR_PATH}/api/runs` && method === 'GET') {
      return sendJson(response, 200, { runs: this.book.list(), pending: this.desk.pending() });
    }
    const run = /^\/inspector\/api\/runs\/([\w.:-]{1,100})$/.exec(path);
    if (run && method === 'GET') {
      const detail = this.book.get(run[1]!);
      return detail ? sendJson(response, 200, detail) : sendJson(response, 404, { error: `no run ${run[1]} is kept` });
    }
    if (path === `${INSPECTOR_PATH}/api/events` && method === 'GET') return this.stream(response);
    if (path === `${INSPECTOR_PATH}/api/paused` && method === 'GET') return this.paused(response);
    const resume = /^\/inspector\/api\/paused\/([A-Za-z0-9][\w.:-]{0,63})$/.exec(path);
    if (resume && method === 'POST') return this.resume(request, response, resume[1]!);
    const approval = /^\/inspector\/api\/approvals\/([\w-]{1,100}(?::|%3A)\d{1,12})$/i.exec(path);
    if (approval && method === 'POST') {
      const body = await readJson(request);
      if (!body || typeof body.allowed !== 'boolean' || (body.reason !== undefined && typeof body.reason !== 'string')) {
        return sendJson(response, 400, { error: 'expected a JSON body { "allowed": boolean, "reason"?: string }' });
      }
      const decided = this.desk.decide(approval[1]!.replace(/%3A/i, ':'), body.allowed, body.reason as string | undefined);
      return decided ? sendJson(response, 200, { ok: true }) : sendJson(response, 404, { error: 'that call is no longer waiting (decided, withdrawn, or timed out)' });
    }
    return sendJson(response, 404, { error: `not found: ${path.slice(0, 200)}` });
  }

  private async paused(response: ServerResponse): Promise<void> {
    if (!this.durable) return sendJson(response, 200, { paused: [] satisfies PausedRunView[] });
    try {
      return sendJson(response, 200, { paused: await pausedRuns(this.durable) });
    } catch (error) {
      // Without a storage there are no durable runs; a store that fails is said, not hidden.
      if (error instanceof CodemodeError && error.code === 'NO_STORAGE') return sendJson(response, 200, { paused: [] });
      return sendJson(response, 503, { error: `the journals could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** Resumes a paused run with the page's decisions; answers when the run ended (it shows live meanwhile). */
  private async resume(request: IncomingMessage, response: ServerResponse, runId: string): Promise<void> {
    const body = await readJson(request, MAX_DECISIONS_BYTES);
    const decisions = body && decisionsOf(body);
    if (!decisions) return sendJson(response, 400, { error: 'expected a JSON body { "decisions": { "<callId>": { "allowed": boolean, "reason"?: string } } }' });
    if (!this.durable) return sendJson(response, 404, { error: 'this server keeps no durable runs' });
    let result;
    try {
      result = await this.book.track(undefined, () => this.durable!.resume(runId, { decisions }));
    } catch (error) {
      const code = error instanceof CodemodeError ? error.code : undefined;
      const status = code === 'NOT_FOUND' ? 404 : code === 'INVALID_OPTION' || code === 'VERSION_CONFLICT' ? 409 : 500;
      return sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.broadcast({ type: 'paused' });
    }
    return sendJson(response, 200, { ok: true, status: result.ok ? 'completed' : result.error.kind });
  }

  /** Ends the event streams and stops recording. */
  close(): void {
    for (const stop of this.stop) stop();
    this.book.close();
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  private async login(request: IncomingMessage, response: ServerResponse, logins: Logins): Promise<void> {
    const body = await readBody(request);
    const typed = body === undefined ? undefined : new URLSearchParams(body).get('token');
    const opened = typed ? logins.open(typed) : undefined;
    if (!opened) return send(response, 401, 'text/html; charset=utf-8', loginPage('That token is not the server’s token.'));
    response.writeHead(303, { ...SECURITY_HEADERS, location: INSPECTOR_PATH, 'set-cookie': Logins.cookieHeader(opened.id) });
    response.end();
  }

  private stream(response: ServerResponse): void {
    if (this.streams.size >= MAX_STREAMS) return sendJson(response, 503, { error: `at most ${MAX_STREAMS} pages may watch at once` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    this.streams.add(response);
    response.on('close', () => this.streams.delete(response));
    write(response, { type: 'snapshot', runs: this.book.list(), pending: this.desk.pending().slice(0, SHOWN_PENDING) });
  }

  private broadcast(event: InspectorEvent): void {
    if (this.streams.size === 0) return;
    for (const stream of this.streams) {
      if (stream.writableLength > MAX_STREAM_BACKLOG) {
        this.streams.delete(stream);
        stream.destroy();
      } else write(stream, event);
    }
  }
}

function endEvent(run: Extract<BookEvent, { type: 'end' }>['run']): InspectorEvent {
  const { runId, session, startedAt, status, durationMs, calls, value, error } = run;
  return {
    type: 'end',
    run: { runId, ...(session ? { session } : {}), startedAt, status, ...(durationMs !== undefined ? { durationMs } : {}), calls },
    ...(value !== undefined ? { value } : {}),
    ...(error ? { error } : {}),
  };
}

function write(stream: ServerResponse, event: InspectorEvent): void {
  stream.write(`data: ${JSON.stringify(event)}\n\n`);
}

/** A POST from the page: its CSRF token, and (when the browser says) the same origin as the server. */
function sameOriginPost(request: IncomingMessage, login: Login): boolean {
  if (!csrfMatches(login, request.headers['x-csrf-token'])) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...headers });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** The request body as text, or undefined when it is larger than `max` bytes. */
async function readBody(request: IncomingMessage, max = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(request: IncomingMessage, max = MAX_BODY_BYTES): Promise<Record<string, unknown> | undefined> {
  const text = await readBody(request, max);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
