// `npm run bench:inspector`: what the inspector costs the server when nobody watches the page. Its book
// records every run of the server (host CPU per observation) and keeps the last `inspectorRuns` runs (heap
// per kept run). Observations are published on the real channels, as sessions and pipelines do, so the
// figures are the recorder's own work; the floor is the same publishing with nobody subscribed.
import { callEnd, callStart, log, runEnd, runStart, type CallObservation, type RunObservation } from '../src/observe/channels.js';
import { BOOK_CAPS, RunBook } from '../src/inspector/recorder.js';
import type { RunResult } from '../src/results/types.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench:inspector does)');

const CODE = "const files = await codemode.fs.readDir({ path: '.' });\nconsole.log(files.length);\nreturn files;\n";
const RESULT: RunResult = {
  type: 'completed',
  ok: true,
  value: ['a.txt', 'b.txt'],
  logs: [],
  stats: { durationMs: 3, queueMs: 0, cpuMs: 1, hostCalls: 10 },
} as unknown as RunResult;

/** One run as the session and the pipeline publish it: start, `calls` host calls, `logs` console lines, end. */
function publishRun(runId: string, calls: number, logs: number, text: string, value: unknown): void {
  const run: RunObservation = { runId, code: CODE };
  runStart.publish(run);
  for (let i = 1; i <= calls; i++) {
    const call: CallObservation = { runId, callId: i, name: 'fs.readFile' };
    callStart.publish(call);
    call.input = { path: `file-${i}.txt` };
    call.approval = 'auto';
    call.outcome = 'ok';
    call.value = value;
    call.durationMs = 0.2;
    callEnd.publish(call);
  }
  for (let i = 0; i < logs; i++) log.publish({ runId, level: 'log', text });
  run.result = RESULT;
  run.outcome = 'completed';
  run.durationMs = 3;
  runEnd.publish(run);
}

function microsPerObservation(runs: number, calls: number, logs: number): number {
  const observations = runs * (2 + 2 * calls + logs);
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) publishRun(`run-${i}`, calls, logs, 'x'.repeat(80), { content: 'y'.repeat(200) });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / observations;
}

function heapPerRunKb(book: RunBook, kept: number, calls: number, logs: number, text: string, value: unknown): number {
  gc!();
  const before = process.memoryUsage().heapUsed;
  book.track('session', () => {
    for (let i = 0; i < kept; i++) publishRun(`kept-${text.length}-${i}`, calls, logs, text, value);
  });
  gc!();
  return (process.memoryUsage().heapUsed - before) / kept / 1024;
}

const RUNS = 2_000;
const floor = microsPerObservation(RUNS, 10, 10);
const book = new RunBook(50);
const untracked = microsPerObservation(RUNS, 10, 10);
const recorded = book.track('session', () => microsPerObservation(RUNS, 10, 10));
book.close();

const typicalBook = new RunBook(50);
const typical = heapPerRunKb(typicalBook, 50, 10, 10, 'x'.repeat(80), { content: 'y'.repeat(200) });
typicalBook.close();
const fullBook = new RunBook(50);
const full = heapPerRunKb(fullBook, 50, BOOK_CAPS.calls, BOOK_CAPS.logEntries, 'z'.repeat(BOOK_CAPS.logChars * 2), { content: 'w'.repeat(BOOK_CAPS.valueChars * 4) });
fullBook.close();

console.log('inspector, nobody watching                  value        floor (same publishing, no subscriber)  ratio');
console.log(`CPU per observation, run recorded           ${recorded.toFixed(2)} µs      ${floor.toFixed(2)} µs                                  ${(recorded / floor).toFixed(1)}×`);
console.log(`CPU per observation, run of another server  ${untracked.toFixed(2)} µs      ${floor.toFixed(2)} µs                                  ${(untracked / floor).toFixed(1)}×`);
console.log(`heap per kept run, 10 calls + 10 lines      ${typical.toFixed(1)} KiB`);
console.log(`heap per kept run, every cap full           ${full.toFixed(1)} KiB (×50 kept runs = ${((full * 50) / 1024).toFixed(1)} MiB)`);
