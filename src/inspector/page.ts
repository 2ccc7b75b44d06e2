// The inspector page: two small HTML documents, one script and one stylesheet, all served by us (no CDN,
// no framework: the page is a list, a detail view and two buttons). The script builds every element with
// `textContent`, never `innerHTML`, so whatever model code printed is shown as text; the server's
// Content-Security-Policy allows no other script.

/** Escapes text for an HTML attribute or element body. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function document(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/inspector/app.css">
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

export function loginPage(message: string): string {
  return document(
    'codemode inspector: log in',
    '',
    `<main class="login">
<h1>codemode inspector</h1>
<form method="post" action="/inspector/login">
<label for="token">The server's bearer token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
</main>`,
  );
}

export function mainPage(csrf: string): string {
  return document(
    'codemode inspector',
    `<meta name="csrf-token" content="${escapeHtml(csrf)}">
<script src="/inspector/app.js" defer></script>`,
    `<header>
<h1>codemode inspector</h1>
<span id="status" class="status">connecting…</span>
<button id="logout" type="button">Log out</button>
</header>
<section id="approvals" aria-labelledby="approvals-title">
<h2 id="approvals-title">Waiting for approval</h2>
<p id="no-approvals" class="empty">No call is waiting.</p>
<ul id="approval-list"></ul>
</section>
<section id="paused" aria-labelledby="paused-title">
<h2 id="paused-title">Paused durable runs</h2>
<p id="no-paused" class="empty">No durable run is paused.</p>
<ul id="paused-list"></ul>
</section>
<div class="panes">
<section id="runs" aria-labelledby="runs-title">
<h2 id="runs-title">Recent runs</h2>
<table>
<thead><tr><th>Started</th><th>Session</th><th>Outcome</th><th>Duration</th><th>Calls</th></tr></thead>
<tbody id="run-rows"></tbody>
</table>
<p id="no-runs" class="empty">No run yet.</p>
</section>
<section id="detail" aria-labelledby="detail-title" hidden>
<h2 id="detail-title">Run</h2>
<p id="detail-meta" class="meta"></p>
<h3>Code</h3>
<pre id="detail-code" class="code"></pre>
<h3>Console</h3>
<ol id="detail-logs" class="logs"></ol>
<h3>Host calls</h3>
<table class="calls">
<thead><tr><th>#</th><th>Tool</th><th>Input</th><th>Approval</th><th>Outcome</th><th>Result or error</th><th>ms</th></tr></thead>
<tbody id="detail-calls"></tbody>
</table>
<h3>Result</h3>
<pre id="detail-result" class="result"></pre>
</section>
</div>`,
  );
}

export const APP_CSS = `
:root { font-family: system-ui, sans-serif; font-size: 14px; color: #1d1d1f; background: #fafafa; }
body { margin: 0; }
header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #20232a; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
.status { font-size: .85rem; opacity: .8; }
section { padding: .5rem 1rem; }
h2 { font-size: 1rem; margin: .5rem 0; }
h3 { font-size: .9rem; margin: .75rem 0 .25rem; }
.panes { display: grid; grid-template-columns: minmax(20rem, 2fr) 3fr; gap: .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
#run-rows tr { cursor: pointer; }
#run-rows tr.selected { background: #e3ecff; }
.empty { color: #777; }
pre { background: #fff; border: 1px solid #ddd; padding: .4rem; overflow: auto; max-height: 24rem; margin: 0; white-space: pre-wrap; word-break: break-word; }
.code .line { display: block; }
.code .line .number { display: inline-block; width: 3em; color: #999; user-select: none; }
.code .line.error { background: #ffe0e0; }
.logs { font-family: ui-monospace, monospace; margin: 0; padding-left: 2rem; max-height: 16rem; overflow: auto; }
.logs .warn { color: #8a5a00; }
.logs .error { color: #b00020; }
.calls td { font-family: ui-monospace, monospace; font-size: .85rem; word-break: break-word; }
.outcome-ok, .completed { color: #136f2b; }
.running { color: #0b57d0; }
.failed { color: #b00020; }
#approval-list { list-style: none; padding: 0; margin: 0; }
.approval { border: 2px solid #d98e04; background: #fff8e6; padding: .5rem; margin: .5rem 0; }
.approval .tool { font-weight: 600; font-family: ui-monospace, monospace; }
.approval .around { font-family: ui-monospace, monospace; color: #555; }
.approval .actions { display: flex; gap: .5rem; margin-top: .4rem; }
.approval input { flex: 1; }
.paused-run { border: 2px solid #7a5af8; background: #f4f1ff; padding: .5rem; margin: .5rem 0; list-style: none; }
#paused-list { padding: 0; margin: 0; }
.paused-run .run-id { font-weight: 600; font-family: ui-monospace, monospace; }
.paused-run .pending { border-top: 1px solid #ddd; padding: .3rem 0; }
.paused-run .actions { display: flex; gap: .5rem; margin-top: .3rem; }
.paused-run .actions input { flex: 1; }
.paused-run button[aria-pressed="true"] { outline: 2px solid #20232a; font-weight: 600; }
.login { max-width: 24rem; margin: 4rem auto; display: flex; flex-direction: column; gap: .5rem; }
.login form { display: flex; flex-direction: column; gap: .5rem; }
.error { color: #b00020; }
`;

export const APP_JS = `'use strict';
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const byId = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  };
  /** A reason field with Approve and Deny, in one row (a waiting call, or a paused run's pending call). */
  const decisionControls = () => {
    const actions = el('div', 'actions');
    const reason = el('input', 'reason');
    reason.placeholder = 'Reason the model reads (for a denial)';
    reason.maxLength = 1000;
    const approve = el('button', 'approve', 'Approve');
    const deny = el('button', 'deny', 'Deny');
    approve.type = deny.type = 'button';
    actions.append(reason, approve, deny);
    return { actions, reason, approve, deny };
  };
  const time = (ms) => new Date(ms).toLocaleTimeString();
  const duration = (ms) => (ms === undefined ? '…' : ms < 1000 ? ms.toFixed(1) + ' ms' : (ms / 1000).toFixed(2) + ' s');
  const outcomeClass = (status) => (status === 'running' ? 'running' : status === 'completed' ? 'completed' : 'failed');

  const runs = new Map();
  let pending = [];
  let selected = null;
  let detail = null;

  function renderRuns() {
    const rows = [...runs.values()].sort((a, b) => b.startedAt - a.startedAt).map((run) => {
      const row = el('tr', run.runId === selected ? 'selected' : '');
      row.dataset.runId = run.runId;
      row.append(
        el('td', '', time(run.startedAt)),
        el('td', 'session', run.session ? run.session.slice(0, 8) : '—'),
        el('td', 'outcome ' + outcomeClass(run.status), run.status),
        el('td', '', duration(run.durationMs)),
        el('td', 'count', run.calls),
      );
      row.addEventListener('click', () => open(run.runId));
      return row;
    });
    byId('run-rows').replaceChildren(...rows);
    byId('no-runs').hidden = rows.length > 0;
  }

  function renderApprovals() {
    const items = pending.map((question) => {
      const item = el('li', 'approval');
      item.dataset.id = question.id;
      item.append(el('div', 'tool', 'codemode.' + question.name));
      if (question.description) item.append(el('div', 'description', question.description));
      item.append(el('pre', 'input', question.input));
      for (const line of question.lines) item.append(el('div', 'around', line.line + ': ' + line.text));
      const { actions, reason, approve, deny } = decisionControls();
      approve.addEventListener('click', () => decide(question.id, true, reason.value));
      deny.addEventListener('click', () => decide(question.id, false, reason.value));
      item.append(actions);
      return item;
    });
    byId('approval-list').replaceChildren(...items);
    byId('no-approvals').hidden = items.length > 0;
  }

  function renderDetail() {
    const section = byId('detail');
    if (!detail) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    byId('detail-meta').textContent =
      detail.runId + ' · ' + (detail.session ? 'session ' + detail.session + ' · ' : '') + time(detail.startedAt) + ' · ' + detail.status + ' · ' + duration(detail.durationMs);
    const errorLine = detail.error && detail.error.line;
    byId('detail-code').replaceChildren(
      ...detail.code.split('\\n').map((text, index) => {
        const line = el('span', 'line' + (errorLine === index + 1 ? ' error' : ''));
        line.append(el('span', 'number', index + 1), document.createTextNode(text + '\\n'));
        return line;
      }),
    );
    const logs = detail.logs.map((entry) => el('li', entry.level, entry.text));
    if (detail.droppedLogs) logs.push(el('li', 'dropped', '… ' + detail.droppedLogs + ' more lines not kept'));
    byId('detail-logs').replaceChildren(...logs);
    byId('detail-calls').replaceChildren(
      ...detail.callRecords.map((call) => {
        const row = el('tr', 'call');
        row.dataset.callId = call.callId;
        const answer = call.outcome === 'ok' ? call.value : call.error ? call.error.name + ': ' + call.error.message : '';
        row.append(
          el('td', '', call.callId),
          el('td', 'name', call.name),
          el('td', 'input', call.input === undefined ? '' : call.input),
          el('td', 'decision', call.approval || ''),
          el('td', 'outcome outcome-' + (call.outcome || 'waiting'), call.outcome || 'waiting'),
          el('td', 'answer', answer === undefined ? '' : answer),
          el('td', '', call.durationMs === undefined ? '' : call.durationMs.toFixed(1)),
        );
        return row;
      }),
    );
    const result = byId('detail-result');
    if (detail.status === 'running') result.textContent = 'running…';
    else if (detail.error) {
      const where = detail.error.line ? ' (line ' + detail.error.line + ')' : '';
      result.textContent = detail.error.kind + where + ': ' + detail.error.name + ': ' + detail.error.message + (detail.error.hint ? '\\nHint: ' + detail.error.hint : '');
    } else result.textContent = detail.value === undefined ? 'undefined' : detail.value;
    if (detail.files && detail.files.length > 0) {
      result.textContent += '\\nFiles: ' + detail.files.map((file) => file.path + ' (' + file.contentType + ', ' + file.size + ' bytes)').join(', ');
    }
  }

  function renderPaused(paused) {
    const items = paused.map((run) => {
      const item = el('li', 'paused-run');
      item.dataset.runId = run.runId;
      item.append(el('div', 'run-id', run.runId), el('div', 'meta', 'paused ' + new Date(run.pausedAt).toLocaleString() + ' · expires ' + new Date(run.expiresAt).toLocaleString()));
      const decisions = new Map();
      for (const call of run.pending) {
        const row = el('div', 'pending');
        row.dataset.callId = call.callId;
        row.append(el('div', 'tool', 'codemode.' + call.name + ' (call ' + call.callId + ')'), el('pre', 'input', call.input));
        const { actions, reason, approve, deny } = decisionControls();
        const choose = (allowed) => {
          decisions.set(call.callId, { allowed, reason });
          approve.setAttribute('aria-pressed', String(allowed));
          deny.setAttribute('aria-pressed', String(!allowed));
        };
        approve.addEventListener('click', () => choose(true));
        deny.addEventListener('click', () => choose(false));
        row.append(actions);
        item.append(row);
      }
      const resume = el('button', 'resume', 'Resume with these decisions');
      resume.type = 'button';
      resume.addEventListener('click', async () => {
        const body = {};
        for (const [callId, choice] of decisions) body[callId] = choice.reason.value ? { allowed: choice.allowed, reason: choice.reason.value } : { allowed: choice.allowed };
        if (Object.keys(body).length === 0) {
          byId('status').textContent = 'decide at least one call first';
          return;
        }
        resume.disabled = true;
        const response = await fetch('/inspector/api/paused/' + encodeURIComponent(run.runId), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ decisions: body }),
        });
        const answer = await response.json().catch(() => ({}));
        byId('status').textContent = response.ok ? run.runId + ': ' + answer.status : answer.error || 'the run could not be resumed';
        loadPaused();
      });
      item.append(resume);
      return item;
    });
    byId('paused-list').replaceChildren(...items);
    byId('no-paused').hidden = items.length > 0;
  }

  async function loadPaused() {
    const response = await fetch('/inspector/api/paused');
    if (response.ok) renderPaused((await response.json()).paused);
  }

  async function open(runId) {
    selected = runId;
    renderRuns();
    const response = await fetch('/inspector/api/runs/' + encodeURIComponent(runId));
    if (selected !== runId) return;
    detail = response.ok ? await response.json() : null;
    renderDetail();
  }

  async function decide(id, allowed, reason) {
    const response = await fetch('/inspector/api/approvals/' + encodeURIComponent(id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(reason ? { allowed, reason } : { allowed }),
    });
    if (!response.ok) byId('status').textContent = 'that call is no longer waiting';
  }

  function apply(event) {
    switch (event.type) {
      case 'snapshot':
        runs.clear();
        for (const run of event.runs) runs.set(run.runId, run);
        pending = event.pending;
        renderRuns();
        renderApprovals();
        loadPaused();
        if (selected && runs.has(selected)) open(selected);
        break;
      case 'paused':
        loadPaused();
        break;
      case 'run':
        runs.set(event.run.runId, event.run);
        renderRuns();
        if (!selected) open(event.run.runId);
        break;
      case 'log':
        if (detail && detail.runId === event.runId) {
          detail.logs.push(event.entry);
          renderDetail();
        }
        break;
      case 'call': {
        const run = runs.get(event.runId);
        if (run) {
          run.calls = event.calls;
          renderRuns();
        }
        if (detail && detail.runId === event.runId) {
          const at = detail.callRecords.findIndex((call) => call.callId === event.call.callId);
          if (at >= 0) detail.callRecords[at] = event.call;
          else detail.callRecords.push(event.call);
          renderDetail();
        }
        break;
      }
      case 'end':
        runs.set(event.run.runId, event.run);
        renderRuns();
        if (detail && detail.runId === event.run.runId) {
          Object.assign(detail, event.run);
          if (event.value !== undefined) detail.value = event.value;
          if (event.error) detail.error = event.error;
          renderDetail();
        }
        break;
      case 'approvals':
        pending = event.pending;
        renderApprovals();
        break;
    }
  }

  const events = new EventSource('/inspector/api/events');
  events.onopen = () => (byId('status').textContent = 'live');
  events.onerror = () => (byId('status').textContent = 'reconnecting…');
  events.onmessage = (message) => apply(JSON.parse(message.data));

  byId('logout').addEventListener('click', async () => {
    await fetch('/inspector/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } });
    location.reload();
  });
})();
`;
