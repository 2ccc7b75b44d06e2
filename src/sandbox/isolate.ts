// Runs in the sandbox process. Creates an isolate with the harness loaded, ready for one run. A prepared
// isolate serves exactly one run and is then disposed: runs never share an isolate, so they share no state.
import type ivmModule from 'isolated-vm';
import { decodeValue, encodeValue } from '../bridge/codec.js';
import { BRIDGE_CAPS, CODE_FILENAME, HARNESS_FILENAME, logLimitText, type HarnessSignal } from '../bridge/protocol.js';
import { harness } from './harness.js';
import { createFormatter } from './inspect.js';

type Ivm = typeof ivmModule;

export interface PreparedIsolate {
  readonly isolate: ivmModule.Isolate;
  readonly context: ivmModule.Context;
  readonly begin: ivmModule.Reference<Function>;
  readonly settle: ivmModule.Reference<Function>;
  readonly resolveOne: ivmModule.Reference<Function>;
  readonly memoryLimitMb: number;
  /** What the harness signalled during the current entry into the isolate, in order. */
  readonly signals: HarnessSignal[];
  /** Called after each signal, while the isolate still runs: lets a long entry send what it has so far. */
  onSignal: (signal: HarnessSignal) => void;
}

// Built once per process: the harness and the functions it needs, as one function of `send`.
const HARNESS_SOURCE =
  `(function (send) { return (${harness})(send, ${encodeValue}, ${decodeValue}, ${createFormatter}, ${logLimitText}, ` +
  `${JSON.stringify(BRIDGE_CAPS)}, ${JSON.stringify(CODE_FILENAME)}, ${JSON.stringify(HARNESS_FILENAME)}); })`;

/** V8's compiled form of the harness, made by the first isolate and reused by the next ones. */
let harnessCache: ivmModule.ExternalCopy<ArrayBuffer> | undefined;

export function prepareIsolate(ivm: Ivm, memoryLimitMb: number): PreparedIsolate {
  const isolate = new ivm.Isolate({
    memoryLimit: memoryLimitMb,
    // isolated-vm's advice: after a catastrophic error nothing in this process can be trusted. The host sees
    // the exit, reports the run as crashed and starts a fresh process.
    onCatastrophicError: () => process.abort(),
  });
  try {
    const context = isolate.createContextSync();
    const signals: HarnessSignal[] = [];
    const prepared: Pick<PreparedIsolate, 'onSignal'> = { onSignal: () => {} };
    const send = new ivm.Callback((...signal: HarnessSignal) => {
      signals.push(signal);
      prepared.onSignal(signal);
    });
    const script: ivmModule.Script & ivmModule.CachedDataResult = isolate.compileScriptSync(HARNESS_SOURCE, {
      filename: HARNESS_FILENAME,
      ...(harnessCache ? { cachedData: harnessCache } : { produceCachedData: true }),
    });
    if (!harnessCache && script.cachedData) harnessCache = script.cachedData;
    const factory = script.runSync(context, { reference: true, release: true }) as ivmModule.Reference<Function>;
    const api = factory.applySync(undefined, [send], { result: { reference: true } }) as ivmModule.Reference<Record<string, Function>>;
    factory.release();
    const begin = api.getSync('begin', { reference: true }) as ivmModule.Reference<Function>;
    const settle = api.getSync('settle', { reference: true }) as ivmModule.Reference<Function>;
    const resolveOne = api.getSync('resolveOne', { reference: true }) as ivmModule.Reference<Function>;
    api.release();
    return Object.assign(prepared, { isolate, context, begin, settle, resolveOne, memoryLimitMb, signals });
  } catch (error) {
    isolate.dispose();
    throw error;
  }
}
