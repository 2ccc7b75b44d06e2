// Workflow records in a Storage's `workflows` namespace: what a workflow is (name, description, code) and
// whether it still type-checks. Compiling and typing workflows is not done here; this is only their store.
import { CodemodeError, describeValue } from '../errors.js';
import { WORKFLOWS } from '../bridge/protocol.js';
import type { Storage } from './storage.js';

export interface WorkflowRecord {
  /** A JavaScript identifier: model code calls `codemode.workflows.<name>(input)`. */
  readonly name: string;
  /** One line for listings and search. */
  readonly description: string;
  /** TypeScript or JavaScript defining `async function run(input)`. */
  readonly code: string;
  readonly version: number;
  /** ISO 8601. */
  readonly updatedAt: string;
  /** Set when the code no longer type-checks against the current tools: the diagnostic. */
  readonly stale?: string;
}

export interface SaveWorkflow {
  readonly name: string;
  readonly description: string;
  readonly code: string;
  readonly stale?: string;
  readonly ifVersion?: number | null;
}

/** Names of the tools that manage workflows from model code; a workflow cannot take them. */
export const RESERVED_WORKFLOW_NAMES: readonly string[] = WORKFLOWS.manage;
export const MAX_DESCRIPTION_LENGTH = 1000;
const IDENTIFIER = /^[A-Za-z_$][\w$]{0,99}$/;

export class Workflows {
  constructor(readonly storage: Storage) {}

  async save(workflow: SaveWorkflow): Promise<WorkflowRecord> {
    const { name, description, code, stale, ifVersion } = workflow ?? ({} as SaveWorkflow);
    checkWorkflowName(name);
    text('description', description, MAX_DESCRIPTION_LENGTH);
    text('code', code, Infinity);
    if (stale !== undefined) text('stale', stale, MAX_DESCRIPTION_LENGTH * 4);
    const body = JSON.stringify(stale === undefined ? { description, code } : { description, code, stale });
    const info = await this.storage.put('workflows', name, new TextEncoder().encode(body), ifVersion !== undefined ? { ifVersion } : {});
    return { name, description, code, version: info.version, updatedAt: info.updatedAt, ...(stale !== undefined ? { stale } : {}) };
  }

  /** The record, or undefined when no workflow has that name. */
  async get({ name }: { readonly name: string }): Promise<WorkflowRecord | undefined> {
    checkWorkflowName(name);
    const entry = await this.storage.get('workflows', name);
    if (entry === undefined) return undefined;
    let body: { description?: unknown; code?: unknown; stale?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(entry.data));
    } catch {
      body = {};
    }
    if (typeof body.description !== 'string' || typeof body.code !== 'string') {
      throw new CodemodeError('STORAGE_CORRUPT', `workflow "${name}" in ${this.storage.location} is not a workflow record`);
    }
    return {
      name,
      description: body.description,
      code: body.code,
      version: entry.version,
      updatedAt: entry.updatedAt,
      ...(typeof body.stale === 'string' ? { stale: body.stale } : {}),
    };
  }

  /** Every record, by name. */
  async list(): Promise<WorkflowRecord[]> {
    const records = await Promise.all((await this.storage.list('workflows')).map((info) => this.get({ name: info.name })));
    return records.filter((record) => record !== undefined);
  }

  async delete({ name, ifVersion }: { readonly name: string; readonly ifVersion?: number }): Promise<boolean> {
    checkWorkflowName(name);
    return this.storage.delete('workflows', name, ifVersion !== undefined ? { ifVersion } : {});
  }
}

export function checkWorkflowName(name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new CodemodeError('INVALID_NAME', `expected a workflow name to be a JavaScript identifier of at most 100 characters, got ${describeValue(name)}`);
  }
  if (RESERVED_WORKFLOW_NAMES.includes(name)) {
    throw new CodemodeError('INVALID_NAME', `workflow name "${name}" is taken by codemode.workflows.${name}; choose another`);
  }
  return name;
}

function text(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length > max) {
    throw new CodemodeError('INVALID_DATA', `expected workflow \`${field}\` to be a string${Number.isFinite(max) ? ` of at most ${max} characters` : ''}, got ${describeValue(value)}`);
  }
}
