// `codemode/otel`: OpenTelemetry for codemode, as a subscriber of its diagnostics channels
// (src/observe/channels.ts). Everything exported here is public API.
//
//   spans    `codemode.run` per run (child of the context active when the run was started), and a
//            `codemode.call` child per host call, ACTIVE while the call goes through the pipeline, so spans
//            a tool makes itself (undici's, for instance) nest under it. Failures set the span status to
//            ERROR and `error.type` to the error kind. Console lines are events of the run span.
//   metrics  `codemode.runs` (counter, by `codemode.outcome`), `codemode.call.duration` (histogram, ms, by
//            `codemode.outcome` and, for calls to a tool, `codemode.tool`).
//
// Uses the global tracer and meter providers unless given others: a no-op until the application installs
// an OpenTelemetry SDK.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, metrics, SpanStatusCode, trace, type Context, type MeterProvider, type Span, type TracerProvider } from '@opentelemetry/api';
import { callEnd, callStart, log, runEnd, runStart, type CallObservation, type LogObservation, type RunObservation } from '../observe/channels.js';

export interface InstrumentOptions {
  /** Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Default: the global one (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
}

const SCOPE = 'codemode';

/**
 * Enters an OpenTelemetry context where diagnostics_channel enters a store: `runStores` calls `run`, and
 * this one runs the call inside `context.with`, so the call's span is the active span for the tool.
 */
class OtelContextStore extends AsyncLocalStorage<Context> {
  override run<R, A extends unknown[]>(store: Context, callback: (...args: A) => R, ...args: A): R {
    return context.with(store, callback, undefined, ...args);
  }
}

/**
 * Starts tracing and measuring every codemode run in this process. Returns the function that stops it.
 * Calling it again adds a second, independent subscriber.
 */
export function instrument(options: InstrumentOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const runs = meter.createCounter('codemode.runs', { description: 'Runs, by outcome (completed, or the error kind).', unit: '{run}' });
  const callDuration = meter.createHistogram('codemode.call.duration', { description: 'Host call latency, from arrival to answer.', unit: 'ms' });
  const runSpans = new Map<string, Span>();
  const callSpans = new WeakMap<CallObservation, Span>();
  const store = new OtelContextStore();

  const onRunStart = (message: unknown) => {
    const run = message as RunObservation;
    runSpans.set(run.runId, tracer.startSpan('codemode.run', { attributes: { 'codemode.run.id': run.runId } }));
  };
  const onRunEnd = (message: unknown) => {
    const run = message as RunObservation;
    const outcome = run.outcome ?? 'completed';
    runs.add(1, { 'codemode.outcome': outcome });
    const span = runSpans.get(run.runId);
    if (!span) return;
    runSpans.delete(run.runId);
    span.setAttribute('codemode.outcome', outcome);
    span.setAttribute('codemode.host_calls', run.hostCalls ?? 0);
    if (run.result && !run.result.ok) {
      span.setAttribute('error.type', run.result.error.kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: run.result.error.message });
    }
    span.end();
  };
  const onLog = (message: unknown) => {
    const line = message as LogObservation;
    runSpans.get(line.runId)?.addEvent('log', { 'log.level': line.level, 'log.text': line.text });
  };
  /** The call's span, made as the call enters the pipeline, becomes the context the pipeline runs in. */
  const enterCall = (message: unknown): Context => {
    const call = message as CallObservation;
    const runSpan = runSpans.get(call.runId);
    const parent = runSpan ? trace.setSpan(context.active(), runSpan) : context.active();
    const span = tracer.startSpan('codemode.call', { attributes: { 'codemode.run.id': call.runId, 'codemode.call.id': call.callId, 'codemode.call.name': call.name } }, parent);
    callSpans.set(call, span);
    return trace.setSpan(parent, span);
  };
  const onCallEnd = (message: unknown) => {
    const call = message as CallObservation;
    const outcome = call.outcome ?? 'ok';
    // Names that are not tools come from model code: kept out of metric attributes, so cardinality stays bounded.
    const attributes: Record<string, string> = { 'codemode.outcome': outcome };
    if (call.approval !== undefined || call.input !== undefined) attributes['codemode.tool'] = call.name;
    callDuration.record(call.durationMs ?? 0, attributes);
    const span = callSpans.get(call);
    if (!span) return;
    span.setAttribute('codemode.outcome', outcome);
    if (call.approval) span.setAttribute('codemode.approval', call.approval);
    if (call.error) {
      span.setAttribute('error.type', call.error.kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: call.error.message });
    }
    span.end();
  };

  subscribe(runStart.name as string, onRunStart);
  subscribe(runEnd.name as string, onRunEnd);
  subscribe(log.name as string, onLog);
  callStart.bindStore(store, enterCall);
  subscribe(callEnd.name as string, onCallEnd);
  return () => {
    unsubscribe(runStart.name as string, onRunStart);
    unsubscribe(runEnd.name as string, onRunEnd);
    unsubscribe(log.name as string, onLog);
    callStart.unbindStore(store);
    unsubscribe(callEnd.name as string, onCallEnd);
    for (const span of runSpans.values()) span.end();
    runSpans.clear();
  };
}
