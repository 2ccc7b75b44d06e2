import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { defineTool, Executor } from '../../src/index.js';
import { instrument } from '../../src/otel/index.js';
import { double, fail } from '../fixtures.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 2_147_483_647 });
const meterProvider = new MeterProvider({ readers: [reader] });

/** A tool that makes its own span, as an instrumented HTTP client would. */
const traced = defineTool({
  name: 'traced',
  description: 'Makes a span of its own.',
  input: z.object({}),
  run: () => tracerProvider.getTracer('tool').startActiveSpan('tool.work', (span) => {
    span.end();
    return 'done';
  }),
});

const executor = new Executor({ tools: [double, fail, traced] });
let uninstall: () => void;
const contextManager = new AsyncLocalStorageContextManager();

before(() => {
  context.setGlobalContextManager(contextManager.enable());
  uninstall = instrument({ tracerProvider, meterProvider });
});
after(async () => {
  uninstall();
  context.disable();
  await executor.close();
});

const byName = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('OpenTelemetry', () => {
  test('a run is a codemode.run span with a child span per host call; a failed call records its error kind', async () => {
    exporter.reset();
    const result = await executor.run('const a = await codemode.double({ n: 2 }); try { await codemode.fail({}) } catch (e) {} return a');
    assert.equal(result.ok && result.value, 4, JSON.stringify(result));
    const [run] = byName('codemode.run');
    const calls = byName('codemode.call');
    assert.ok(run);
    assert.equal(run.attributes['codemode.outcome'], 'completed');
    assert.equal(run.attributes['codemode.host_calls'], 2);
    assert.deepEqual(calls.map((span) => [span.attributes['codemode.call.name'], span.attributes['codemode.outcome'], span.status.code, parentOf(span)]), [
      ['double', 'ok', 0, run.spanContext().spanId],
      ['fail', 'host', 2, run.spanContext().spanId],
    ]);
    assert.equal(calls[1]!.attributes['error.type'], 'host');
    assert.equal(calls[1]!.status.message, 'tool broke');
    assert.equal(calls[0]!.attributes['codemode.approval'], 'auto');
  });

  test("the call's span is active while the tool runs: a span the tool makes nests under it", async () => {
    exporter.reset();
    const result = await executor.run('return await codemode.traced({})');
    assert.equal(result.ok && result.value, 'done', JSON.stringify(result));
    const [call] = byName('codemode.call');
    const [inner] = byName('tool.work');
    assert.ok(call && inner);
    assert.equal(parentOf(inner), call.spanContext().spanId);
    assert.equal(inner.spanContext().traceId, call.spanContext().traceId);
  });

  test('a run started inside an active span is its child; a failed run records its error kind and console lines are events', async () => {
    exporter.reset();
    const outer = tracerProvider.getTracer('app').startSpan('request');
    const result = await context.with(trace.setSpan(context.active(), outer), () => executor.run('console.log("before"); null.x'));
    outer.end();
    assert.equal(result.ok, false);
    const [run] = byName('codemode.run');
    assert.ok(run);
    assert.equal(parentOf(run), outer.spanContext().spanId);
    assert.equal(run.attributes['error.type'], 'runtime');
    assert.equal(run.status.code, 2);
    assert.deepEqual(run.events.map((event) => [event.name, event.attributes?.['log.text']]), [['log', 'before']]);
  });

  test('metrics count runs by outcome and measure host-call latency', async () => {
    await executor.run('return await codemode.double({ n: 1 })');
    await executor.run('throw new Error("no")');
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const runs = all.find((metric) => metric.descriptor.name === 'codemode.runs')!;
    const counts = Object.fromEntries(runs.dataPoints.map((point) => [point.attributes['codemode.outcome'], point.value]));
    assert.ok((counts.completed as number) >= 1 && (counts.runtime as number) >= 2, JSON.stringify(counts));
    const latency = all.find((metric) => metric.descriptor.name === 'codemode.call.duration')!;
    assert.equal(latency.descriptor.unit, 'ms');
    const doubles = latency.dataPoints.find((point) => point.attributes['codemode.tool'] === 'double' && point.attributes['codemode.outcome'] === 'ok');
    assert.ok(doubles && (doubles.value as { count: number }).count >= 2, JSON.stringify(latency.dataPoints));
  });

  test('after uninstalling, runs make no spans', async () => {
    const stop = instrument({ tracerProvider, meterProvider });
    stop();
    uninstall();
    exporter.reset();
    await executor.run('return await codemode.double({ n: 1 })');
    assert.deepEqual(exporter.getFinishedSpans(), []);
    uninstall = instrument({ tracerProvider, meterProvider });
  });
});
