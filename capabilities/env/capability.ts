// EnvCapability: read-only access to allowlisted environment variables. A name outside the list is
// refused before the environment is consulted, so a refusal never says whether the variable exists.
import { z } from 'zod';
import { ToolError, defineTool, type Capability, type ToolDefinition } from '../shared/public-api.js';
import { invalidOption, knownKeys, optionsObject } from '../shared/options.js';
import { KeyPolicy } from './keys.js';

export interface EnvCapabilityOptions {
  /** Exact names (`HOME`) and prefix wildcards (`APP_*`). Case-sensitive. A bare `*` is refused. */
  readonly allowedKeys: readonly string[];
  /** Where values come from. Default `process.env`, read at call time. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const WHERE = 'EnvCapability';
const MAX_KEY_LENGTH = 1024;

const key = z.string().describe('Variable name, e.g. "HOME".');
const getInput = z.strictObject({ key });
const getOutput = z.string().nullable().describe('The value, or null when the variable is not set.');
const listInput = z.strictObject({}).optional();
const listOutput = z.record(z.string(), z.string()).describe('Allowed variables that are set, by name.');

/** `codemode.env.*`: the allowed variables' values, and nothing about any other variable. */
export class EnvCapability implements Capability {
  readonly name = 'env';
  readonly description: string;
  readonly tools: readonly ToolDefinition[];

  constructor(options: EnvCapabilityOptions) {
    const raw = optionsObject(WHERE, options);
    knownKeys(WHERE, raw, ['allowedKeys', 'env']);
    const policy = new KeyPolicy(WHERE, raw.allowedKeys);
    if (raw.env !== undefined && (typeof raw.env !== 'object' || raw.env === null || Array.isArray(raw.env))) {
      invalidOption(WHERE, 'env', 'an object of strings', raw.env);
    }
    const source = (raw.env as Record<string, string | undefined> | undefined) ?? process.env;
    const allowedList = policy.shown.join(', ');
    // Own properties only: a name like `constructor` or `__proto__` must not reach Object.prototype.
    const read = (name: string): string | undefined => {
      if (!Object.prototype.hasOwnProperty.call(source, name)) return undefined;
      const value = source[name];
      return typeof value === 'string' ? value : undefined;
    };

    this.description = `Environment variables: ${allowedList}.`;
    this.tools = Object.freeze([
      defineTool({
        name: 'get',
        description: 'Value of an allowed environment variable, or null if it is not set.',
        input: getInput,
        output: getOutput,
        run({ key: name }) {
          if (name.length === 0 || name.length > MAX_KEY_LENGTH || name.includes('=') || name.includes('\0')) {
            throw new ToolError('invalid_input', `key ${JSON.stringify(name.slice(0, 80))} is not a valid variable name`);
          }
          if (!policy.allows(name)) {
            throw new ToolError('denied', `environment variable ${JSON.stringify(name.slice(0, 80))} is not allowed`, {
              hint: `Allowed: ${allowedList}.`,
            });
          }
          return read(name) ?? null;
        },
      }),
      defineTool({
        name: 'list',
        description: 'All allowed environment variables that are set, as { name: value }.',
        input: listInput,
        output: listOutput,
        run() {
          const entries: [string, string][] = [];
          for (const name of Object.keys(source).sort()) {
            const value = read(name);
            if (value !== undefined && policy.allows(name)) entries.push([name, value]);
          }
          // fromEntries defines own properties, so even a variable named `__proto__` stays plain data.
          return Object.fromEntries(entries);
        },
      }),
    ]);
  }
}
