// The code that runs inside each isolate before the model's code: it installs `console` and the `codemode`
// proxy, turns host calls into promises, and reports the end of the run. Its source text is evaluated in
// the isolate (see isolate.ts), so `harness` must stay self-contained: no imports, no outside
// references, only its parameters and language built-ins.
//
// It holds one capability, `send`, a synchronous callback into the sandbox process. `send` never leaves this
// closure: model code sees only plain functions and plain data. Model code can still monkey-patch built-ins
// and confuse its own run; that is harmless because the host decodes and validates everything it receives.
// What the harness sends passes one gate first (`clip`, `location`, the checks in `log`), written with
// built-ins taken before model code runs, so that an honest run's messages always fit the protocol's caps
// and a huge thrown message is cut here, before it is copied out of the isolate.
import type { encodeValue as EncodeValue, decodeValue as DecodeValue } from '../bridge/codec.js';
import type {
  BRIDGE_CAPS as BridgeCaps,
  CallResult,
  ErrorData,
  HarnessSignal,
  LogLevel,
  logLimitText as LogLimitText,
  SandboxLimits,
  WorkflowCode,
} from '../bridge/protocol.js';
import type { createFormatter as CreateFormatter } from './inspect.js';

export interface Harness {
  /**
   * Starts a run. `workspace`: the run's context persists between runs (see src/executor/workspace.ts), so `main` takes
   * the functions its top-level declarations call to live on as properties of the context's global object.
   */
  begin(main: (workspace?: WorkspaceApi) => unknown, tools: string[], workflows: string[], limits: SandboxLimits, workspace?: boolean, seed?: string, clock?: number): void;
  /** `at`: a durable run's clock from now on. */
  settle(results: CallResult[], at?: number): void;
  /** The common case, one successful answer, passed as two primitives: no structured copy needed. */
  resolveOne(callId: number, value: string, at?: number): void;
  /** A durable run's seeded Math.random and journaled clock, installed before its modules load (begin installs them again). */
  deterministic(seed: string, clock: number): void;
}

/**
 * What a workspace run's rewritten declarations call (src/normalize/workspace.ts writes the calls): `declare`
 * at the start makes every name the run declares a writable global (function declarations with their
 * hoisted value), `seal` after a `const` statement turns its names into globals that refuse assignment.
 */
export interface WorkspaceApi {
  declare(names: string[], functionNames: string[], functions: unknown[]): void;
  seal(names: string[]): void;
}

export function harness(
  send: (...signal: HarnessSignal) => void,
  encodeValue: typeof EncodeValue,
  decodeValue: typeof DecodeValue,
  createFormatter: typeof CreateFormatter,
  logLimitText: typeof LogLimitText,
  caps: typeof BridgeCaps,
  codeFile: string,
  harnessFile: string,
): Harness {
  'use strict';
  // Built-ins the run path depends on, taken before model code can replace them, so that a model that
  // breaks `Promise.prototype.then` or `WeakMap.prototype.get` still gets its run ended and reported.
  const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(fn: (...args: A) => R) => (self: unknown, ...args: A) => R;
  const SafePromise = Promise;
  const promiseThen = uncurry(Promise.prototype.then) as (promise: Promise<unknown>, onValue: (value: unknown) => void, onError: (error: unknown) => void) => void;
  const promiseResolve = (value: unknown) => new SafePromise<unknown>((resolve) => resolve(value));
  const weakGet = uncurry(WeakMap.prototype.get) as (map: WeakMap<object, unknown>, key: object) => { kind: string; hint?: string } | undefined;
  const weakSet = uncurry(WeakMap.prototype.set) as (map: WeakMap<object, unknown>, key: object, value: unknown) => void;
  const defineProperty = Object.defineProperty;
  // The same for what each run's set-up uses: in a workspace, it runs after earlier runs' code, which may
  // have replaced any of them.
  const objectCreate = Object.create;
  const objectKeys = Object.keys;
  const objectFreeze = Object.freeze;
  const SafeProxy = Proxy;
  const reflectGet = Reflect.get;
  const SafeMap = Map;
  const RealDate = Date;
  const reflectConstruct = Reflect.construct;
  const ownDescriptorOf = Object.getOwnPropertyDescriptor;
  const parseHex = parseInt;
  // Indirect eval: compiles a workflow's code in this context's global scope (see runWorkflow).
  const evaluate = eval;
  const captureStackTrace = Error.captureStackTrace;
  const SafeString = String;
  const stringSlice = uncurry(String.prototype.slice) as (text: string, start: number, end: number) => string;
  const regexpExec = uncurry(RegExp.prototype.exec) as (pattern: RegExp, text: string) => RegExpExecArray | null;
  const positionPattern = new RegExp(`${codeFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`);
  const kinds = new WeakMap<object, { kind: string; hint?: string }>();
  interface Pending {
    resolve(value: unknown): void;
    reject(error: unknown): void;
    site: { stack?: string };
    name: string;
  }
  // A prototype-less dictionary: model code cannot intercept lookups the way it could patch Map.prototype.
  // A new one per run: calls a previous run of a workspace left open are never answered.
  let pending = Object.create(null) as Record<number, Pending | undefined>;
  const formatter = createFormatter(cleanStack);
  let limits: SandboxLimits;
  let nextCallId = 0;
  let logChars = 0;
  let logsCut = false;
  let ended = false;
  /** A durable run's clock (see DurableClock in protocol.ts); undefined in other runs. */
  let clock: number | undefined;

  function cleanStack(stack: string): string {
    return stack
      .split('\n')
      .filter((line) => !line.includes(harnessFile))
      .join('\n');
  }

  /** The frames of a stack (without its header line), harness frames removed. */
  function frames(stack: string | undefined): string {
    if (typeof stack !== 'string') return '';
    const lines = cleanStack(stack).split('\n');
    const start = lines.findIndex((line) => /^\s+at /.test(line));
    return start < 0 ? '' : lines.slice(start).join('\n');
  }

  /** The first model position in a stack; none when the numbers are out of range (a stack the model wrote). */
  function location(stack: string): { line?: number; column?: number } {
    const match = regexpExec(positionPattern, stack);
    if (!match) return {};
    // Unary plus on a string cannot be redirected by model code, unlike Number().
    const line = +match[1]!;
    const column = +match[2]!;
    return line >= 1 && line <= caps.position && column >= 1 && column <= caps.position ? { line, column } : {};
  }

  /** Text for the host: a string of at most `max` characters, cut with '…' (model code may hand anything). */
  function clip(value: unknown, max: number): string {
    const text = typeof value === 'string' ? value : '[not a string]';
    return text.length <= max ? text : stringSlice(text, 0, max - 1) + '…';
  }

  function bridgeError(kind: string, name: string, message: string, site: { stack?: string }, hint?: string): Error {
    const error = new Error(message);
    defineProperty(error, 'name', { value: name, writable: true, configurable: true, enumerable: false });
    const below = frames(site.stack);
    error.stack = `${name}: ${message}${below ? '\n' + below : ''}`;
    defineProperty(error, 'kind', { value: kind, enumerable: true, writable: true, configurable: true });
    if (hint !== undefined) defineProperty(error, 'hint', { value: hint, enumerable: true, writable: true, configurable: true });
    weakSet(kinds, error, hint === undefined ? { kind } : { kind, hint });
    return error;
  }

  function call(fullName: string, args: unknown[], caller: Function): Promise<unknown> {
    // No registered name is this long: a cut name stays unknown, and costs the host nothing to look up.
    const name = fullName.length <= caps.callNameChars ? fullName : stringSlice(fullName, 0, caps.callNameChars);
    const site: { stack?: string } = {};
    captureStackTrace(site, caller);
    const rejected = (error: Error) => new SafePromise<never>((_resolve, reject) => reject(error));
    if (ended) return rejected(bridgeError('runtime', 'Error', `codemode.${name} was called after the run ended`, site));
    if (args.length > 1) {
      return rejected(
        bridgeError('invalid_input', 'TypeError', `codemode.${name} takes one object argument, got ${args.length} arguments`, site, `Call it as codemode.${name}({ ... }) with named fields.`),
      );
    }
    if (nextCallId >= limits.maxHostCalls) {
      return rejected(
        bridgeError('runtime', 'RangeError', `more than ${limits.maxHostCalls} host calls in one run`, site, 'Make fewer calls: batch work into fewer calls or split it across runs.'),
      );
    }
    let input: string;
    try {
      // Tools take one object; a call without an argument means "no fields".
      input = encodeValue(args.length === 0 ? {} : args[0], limits.maxValueChars, limits.maxDepth);
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^the value/, 'the input') : String(error);
      return rejected(bridgeError('invalid_input', 'TypeError', `codemode.${name}: ${message}`, site, 'Pass only JSON-like data (objects, arrays, strings, numbers, booleans, null, Date, Uint8Array, BigInt).'));
    }
    const callId = ++nextCallId;
    return new SafePromise((resolve, reject) => {
      pending[callId] = { resolve, reject, site, name };
      // Indexed writes, not push: model code may have replaced Array.prototype.push.
      const at = queuedIds.length;
      queuedIds[at] = callId;
      queuedNames[at] = name;
      queuedInputs[at] = input;
      if (at === 0) promiseThen(settledPromise, sendCalls, sendCalls);
    });
  }

  // Calls go out together once the code that made them yields (one microtask later): crossing out of the
  // isolate costs far more than a call, and Promise.all of a thousand calls crosses once.
  let queuedIds: number[] = [];
  let queuedNames: string[] = [];
  let queuedInputs: string[] = [];
  const settledPromise = promiseResolve(undefined);

  function sendCalls(): void {
    const ids = queuedIds;
    const names = queuedNames;
    const inputs = queuedInputs;
    queuedIds = [];
    queuedNames = [];
    queuedInputs = [];
    if (ids.length > 0 && !ended) send('calls', ids, names, inputs);
  }

  function settle(results: CallResult[], at?: number): void {
    if (clock !== undefined && typeof at === 'number') clock = at;
    for (const result of results) {
      const entry = pending[result.callId];
      if (!entry) continue;
      delete pending[result.callId];
      if (result.ok) {
        let value: unknown;
        try {
          value = decodeValue(result.value, limits.maxDepth, limits.maxValueChars);
        } catch (error) {
          entry.reject(bridgeError('host', 'Error', `codemode.${entry.name} returned a value that could not be decoded`, entry.site));
          continue;
        }
        entry.resolve(value);
      } else {
        const { kind, name, message, hint } = result.error;
        entry.reject(bridgeError(kind, name, message, entry.site, hint));
      }
    }
  }

  /** Workflows compiled in this run, by `name@version`: each is evaluated once, however often it is called. */
  const compiled = Object.create(null) as Record<string, ((input: unknown) => unknown) | undefined>;

  /**
   * `codemode.workflows.<name>`: a host call validates the input and answers with the workflow's code, which
   * runs here, in the caller's context, so its host calls are this run's calls. Positions in its frames
   * read `workflow:<name>:line:column`; the host maps them into the workflow's own code.
   */
  function makeWorkflow(fullName: string, label: string): Function {
    const workflow = {
      async [label](...args: unknown[]) {
        const answer = (await call(fullName, args, workflow)) as WorkflowCode;
        // A host without a store may have a capability of its own named like the namespace: its tools'
        // answers are plain values, handed back as they are.
        if (typeof answer !== 'object' || answer === null || typeof answer.key !== 'string' || typeof answer.source !== 'string') return answer;
        let run = compiled[answer.key];
        if (!run) {
          const factory = evaluate(`${answer.source}\n//# sourceURL=workflow:${label}`) as () => unknown;
          const made = factory();
          if (typeof made !== 'function') throw new TypeError(`workflow ${label} does not define a function run`);
          run = compiled[answer.key] = made as (input: unknown) => unknown;
        }
        return run(answer.input);
      },
    }[label]!;
    return workflow;
  }

  function makeTool(fullName: string, label: string): Function {
    const tool = {
      [label](...args: unknown[]) {
        return call(fullName, args, tool);
      },
    }[label]!;
    return tool;
  }

  /** A namespace object: known names are real functions; an unknown name still calls the host, which answers with what exists. */
  function guard<T extends object>(target: T, prefix: string): T {
    return new SafeProxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'string' && !(key in object) && key !== 'then' && key !== 'toJSON') return unknown(prefix + key);
        return reflectGet(object, key, receiver);
      },
    });
  }

  function unknown(fullName: string): Function {
    const last = fullName.slice(fullName.lastIndexOf('.') + 1);
    const fn = makeTool(fullName, last);
    return new SafeProxy(fn, {
      get(object, key, receiver) {
        if (typeof key === 'string' && !(key in object) && key !== 'then' && key !== 'toJSON') return unknown(`${fullName}.${key}`);
        return reflectGet(object, key, receiver);
      },
    });
  }

  function buildCodemode(tools: string[], workflows: string[]): object {
    const isWorkflow: Record<string, true | undefined> = objectCreate(null);
    for (const name of workflows) isWorkflow[name] = true;
    const root: Record<string, unknown> = {};
    const spaces: Record<string, Record<string, unknown>> = {};
    for (const fullName of tools) {
      const dot = fullName.indexOf('.');
      if (dot < 0) {
        root[fullName] = makeTool(fullName, fullName);
      } else {
        const space = fullName.slice(0, dot);
        const name = fullName.slice(dot + 1);
        (spaces[space] ??= {})[name] = isWorkflow[fullName] ? makeWorkflow(fullName, name) : makeTool(fullName, name);
      }
    }
    for (const space of objectKeys(spaces)) root[space] = guard(objectFreeze(spaces[space]!), `${space}.`);
    return guard(objectFreeze(root), '');
  }

  function log(level: LogLevel, args: unknown[]): void {
    // Code still running after its end (a microtask chain) says nothing more: the run is over.
    if (ended || logsCut) return;
    // Every entry costs its length plus one (its line break), so a flood of empty entries is bounded too.
    const room = limits.maxLogChars - logChars - 1;
    let text: unknown = room < 0 ? '' : formatter.formatArgs(args, room);
    if (typeof text !== 'string') text = '[console arguments that cannot be shown: a built-in was replaced]';
    if (room < 0 || (text as string).length > room) {
      logsCut = true;
      text = room <= 0 ? '' : stringSlice(text as string, 0, room);
    }
    if (text !== '' || !logsCut) {
      logChars += (text as string).length + 1;
      send('log', level, text as string);
    }
    if (logsCut) send('log', 'warn', logLimitText(limits.maxLogChars));
  }

  function buildConsole(): object {
    const counts = new SafeMap<string, number>();
    const timers = new SafeMap<string, number>();
    return {
      log: (...args: unknown[]) => log('log', args),
      info: (...args: unknown[]) => log('info', args),
      warn: (...args: unknown[]) => log('warn', args),
      error: (...args: unknown[]) => log('error', args),
      debug: (...args: unknown[]) => log('debug', args),
      trace: function trace(...args: unknown[]) {
        // Like Node: "Trace: <message>" and the frames of the caller, on one entry.
        const site: { stack?: string } = {};
        captureStackTrace(site, trace);
        log('debug', [`Trace: ${formatter.formatArgs(args, limits.maxLogChars)}\n${frames(site.stack)}`]);
      },
      dir: (value: unknown) => log('log', [value]),
      table: (value: unknown) => log('log', [value]),
      assert: (condition: unknown, ...args: unknown[]) => {
        if (!condition) log('error', ['Assertion failed' + (args.length ? ':' : ''), ...args]);
      },
      count: (label = 'default') => {
        const n = (counts.get(String(label)) ?? 0) + 1;
        counts.set(String(label), n);
        log('log', [`${label}: ${n}`]);
      },
      time: (label = 'default') => void timers.set(String(label), Date.now()),
      timeEnd: (label = 'default') => {
        const start = timers.get(String(label));
        timers.delete(String(label));
        if (start !== undefined) log('log', [`${label}: ${Date.now() - start}ms`]);
      },
    };
  }

  function pendingNames(): string[] {
    const names: string[] = [];
    for (const id in pending) names[names.length] = pending[id]!.name;
    return names;
  }

  function fail(thrown: unknown): void {
    let data: ErrorData;
    try {
      data = describe(thrown);
    } catch {
      data = { kind: 'runtime', name: 'Error', message: 'the code threw a value that cannot be described' };
    }
    ended = true;
    send('end', false, data, pendingNames());
  }

  function describe(thrown: unknown): ErrorData {
    if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
      const error = thrown as Error;
      const known = weakGet(kinds, error);
      const name = clip(typeof error.name === 'string' ? error.name : 'Error', caps.errorNameChars);
      // Cut before the stack repeats it: a 2^29-character message never leaves the isolate whole.
      const message = clip(SafeString(error.message), limits.maxValueChars);
      const below = frames(error.stack);
      const stack = typeof error.stack === 'string' ? clip(`${name}: ${message}${below ? '\n' + below : ''}`, limits.maxValueChars) : undefined;
      const data: ErrorData = { kind: (known?.kind ?? 'runtime') as ErrorData['kind'], name, message, ...(stack ? { stack } : {}), ...location(stack ?? '') };
      if (known?.hint !== undefined) data.hint = known.hint;
      return data;
    }
    return { kind: 'runtime', name: 'Error', message: clip(`Uncaught ${formatter.inspect(thrown, 1000)}`, limits.maxValueChars) };
  }

  const globalObject = globalThis as unknown as Record<string, unknown>;
  const ownDescriptor = Object.getOwnPropertyDescriptor;
  function refuseAssignment(): never {
    throw new TypeError('Assignment to constant variable.');
  }

  /** See WorkspaceApi. A name held by a global that cannot be redefined (`undefined`, say) keeps its value. */
  const workspaceApi: WorkspaceApi = Object.freeze({
    declare(names: string[], functionNames: string[], functions: unknown[]): void {
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const current = ownDescriptor(globalObject, name);
        if (current && !current.configurable) continue;
        let value: unknown;
        try {
          // A redeclared `var` keeps its value, as in a REPL; `let` and `const` assign theirs when they run.
          value = current ? globalObject[name] : undefined;
        } catch {
          value = undefined;
        }
        defineProperty(globalObject, name, { value, writable: true, enumerable: true, configurable: true });
      }
      for (let i = 0; i < functionNames.length; i++) {
        const current = ownDescriptor(globalObject, functionNames[i]!);
        if (current && !current.configurable) continue;
        defineProperty(globalObject, functionNames[i]!, { value: functions[i], writable: true, enumerable: true, configurable: true });
      }
    },
    seal(names: string[]): void {
      for (let i = 0; i < names.length; i++) {
        const current = ownDescriptor(globalObject, names[i]!);
        if (!current || !current.configurable || !('value' in current)) continue;
        const value = current.value;
        defineProperty(globalObject, names[i]!, { get: () => value, set: refuseAssignment, enumerable: true, configurable: true });
      }
    },
  });

  /**
   * A durable run is deterministic by construction: `Math.random` is sfc32 seeded from the journal, and the
   * clock reads what the journal recorded (see DurableClock in protocol.ts). Built-ins that read V8's own
   * clock are replaced: `Date` (called or constructed without arguments, `Date.now`) and `Intl.DateTimeFormat`'s
   * `format` and `formatToParts` without a date. The isolate offers no `performance` and no timers.
   */
  let deterministicSeed: string | undefined;
  function makeDeterministic(seed: string, start: number): void {
    clock = start;
    // Installed already in this context, before its modules loaded: wrapping again would stack the wrappers.
    if (deterministicSeed === seed) return;
    deterministicSeed = seed;
    let a = parseHex(stringSlice(seed, 0, 8), 16) | 0;
    let b = parseHex(stringSlice(seed, 8, 16), 16) | 0;
    let c = parseHex(stringSlice(seed, 16, 24), 16) | 0;
    let d = parseHex(stringSlice(seed, 24, 32), 16) | 0;
    const random = function random(): number {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    for (let i = 0; i < 12; i++) random();
    defineProperty(Math, 'random', { value: random, writable: true, configurable: true, enumerable: false });
    const DurableDate = function Date(this: unknown, ...args: unknown[]): unknown {
      if (new.target === undefined) return new RealDate(clock!).toString();
      return reflectConstruct(RealDate, args.length === 0 ? [clock] : args, new.target);
    } as unknown as DateConstructor;
    defineProperty(DurableDate, 'prototype', { value: RealDate.prototype, writable: false });
    defineProperty(DurableDate, 'now', { value: function now() { return clock; }, writable: true, configurable: true, enumerable: false });
    defineProperty(DurableDate, 'parse', { value: RealDate.parse, writable: true, configurable: true, enumerable: false });
    defineProperty(DurableDate, 'UTC', { value: RealDate.UTC, writable: true, configurable: true, enumerable: false });
    defineProperty(RealDate.prototype, 'constructor', { value: DurableDate, writable: true, configurable: true, enumerable: false });
    defineProperty(globalThis, 'Date', { value: DurableDate, writable: true, configurable: true, enumerable: false });
    const formats = Intl.DateTimeFormat.prototype;
    const formatGetter = ownDescriptorOf(formats, 'format')!.get!;
    const realFormatToParts = formats.formatToParts;
    defineProperty(formats, 'format', {
      get(this: Intl.DateTimeFormat) {
        const format = formatGetter.call(this) as (date?: unknown) => string;
        return (date?: unknown) => format(date === undefined ? clock : date);
      },
      configurable: true,
      enumerable: false,
    });
    defineProperty(formats, 'formatToParts', {
      value: function formatToParts(this: Intl.DateTimeFormat, date?: unknown): Intl.DateTimeFormatPart[] {
        return realFormatToParts.call(this, (date === undefined ? clock : date) as number);
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  function begin(main: (workspace?: WorkspaceApi) => unknown, tools: string[], workflows: string[], runLimits: SandboxLimits, workspace = false, seed?: string, start?: number): void {
    // Everything of the previous run goes; only a workspace's globals stay (its context outlives the run).
    limits = runLimits;
    pending = objectCreate(null) as Record<number, Pending | undefined>;
    queuedIds = [];
    queuedNames = [];
    queuedInputs = [];
    nextCallId = 0;
    logChars = 0;
    logsCut = false;
    ended = false;
    // WebAssembly memories are allocated outside the isolate's heap limit; model code has no need for them.
    delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
    // Atomics.waitAsync with a timeout aborts the whole sandbox process, and a waiter that never resolves
    // keeps a finished run's context alive in a reused isolate: model code has no other thread to wait on.
    delete (Atomics as { waitAsync?: unknown }).waitAsync;
    defineProperty(globalThis, 'codemode', { value: buildCodemode(tools, workflows), writable: true, configurable: true, enumerable: false });
    defineProperty(globalThis, 'console', { value: buildConsole(), writable: true, configurable: true, enumerable: false });
    clock = undefined;
    if (typeof seed === 'string' && typeof start === 'number') makeDeterministic(seed, start);
    let returned: unknown;
    try {
      returned = workspace ? main(workspaceApi) : main();
    } catch (error) {
      fail(error);
      return;
    }
    try {
      // The model's async function returns a native promise: wait on it with the `then` taken at the start,
      // not through resolve(), which would call a `Promise.prototype.then` the model replaced and hang.
      promiseThen(returned as Promise<unknown>, finish, settleFailure);
    } catch {
      promiseThen(promiseResolve(returned), finish, settleFailure);
    }
  }

  function settleFailure(error: unknown): void {
    if (!ended) fail(error);
  }

  /** The code returned: its value goes to the host, or the reason it cannot. */
  function finish(value: unknown): void {
    if (ended) return;
    let text: string;
    try {
      text = encodeValue(value, limits.maxValueChars, limits.maxDepth);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const tooBig = code === 'too_large' || code === 'too_deep';
      ended = true;
      send(
        'end',
        false,
        {
          kind: tooBig ? 'output_limit' : 'runtime',
          name: tooBig ? 'RangeError' : 'TypeError',
          message: clip(`the return value cannot be sent back: ${error instanceof Error ? error.message.replace(/^the value/, 'the return value') : SafeString(error)}`, limits.maxValueChars),
        },
        pendingNames(),
      );
      return;
    }
    ended = true;
    send('end', true, text, pendingNames());
  }

  function resolveOne(callId: number, value: string, at?: number): void {
    settle([{ callId, ok: true, value }], at);
  }

  return { begin, settle, resolveOne, deterministic: makeDeterministic };
}
