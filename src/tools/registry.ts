// The tools one executor offers, live: tools and capabilities can be added and removed while runs go on.
// Every change makes a new immutable `ToolSet`; a run keeps the set it started with, so a change never
// reaches a run in progress and never touches a sandbox process (the sandbox learns the names per run).
// What derives from a set (the catalog the printer reads, the declaration text) is computed once per set,
// and each tool's JSON Schema once per tool, so a change re-converts only what it added.
import { closest } from '../closest.js';
import { CodemodeError, describeValue } from '../errors.js';
import { printDeclarations } from '../types/index.js';
import { toolEntry, type ToolCatalog } from './catalog.js';
import { defineCapability, defineTool, type Approval, type Capability, type ToolDefinition } from './define.js';
import type { ToolEntry } from '../types/declarations.js';

export interface RegisteredTool {
  /** `add` or `fs.readFile`. */
  readonly fullName: string;
  readonly namespace: string | undefined;
  readonly definition: ToolDefinition;
  readonly approval: Approval;
}

/** What changed in a tool set: full names added and removed (a replaced tool is in both). */
export interface ToolSetChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const MAX_LISTED_NAMES = 30;
/** Longer names (model code can call any) are cut in messages. */
const MAX_SHOWN_NAME = 100;

/** Printer entries by registered tool: a tool kept across changes is converted to JSON Schema once. */
const entries = new WeakMap<RegisteredTool, ToolEntry>();

/** One version of a tool set. Immutable: a change makes a new one. */
export class ToolSet {
  private readonly byName: ReadonlyMap<string, RegisteredTool>;
  private catalogCache: ToolCatalog | undefined;
  private declarationCache: string | undefined;

  /** @internal Sets come from a ToolRegistry. */
  constructor(
    /** Top-level tools, in the order they were added. */
    readonly tools: readonly ToolDefinition[],
    /** Capabilities, in the order they were added. */
    readonly capabilities: readonly Capability[],
    byName: ReadonlyMap<string, RegisteredTool>,
  ) {
    this.byName = byName;
  }

  get(fullName: string): RegisteredTool | undefined {
    return this.byName.get(fullName);
  }

  has(fullName: string): boolean {
    return this.byName.has(fullName);
  }

  /** Every full name: top-level tools first, then each capability's tools. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  list(): RegisteredTool[] {
    return [...this.byName.values()];
  }

  /** The printer's view of this set (computed on first use). */
  catalog(): ToolCatalog {
    if (this.catalogCache) return this.catalogCache;
    const list: ToolEntry[] = [];
    for (const tool of this.byName.values()) {
      let entry = entries.get(tool);
      if (!entry) {
        entry = toolEntry(tool.definition, tool.namespace === undefined ? [] : [tool.namespace]);
        entries.set(tool, entry);
      }
      list.push(entry);
    }
    const namespaces = this.capabilities.flatMap((c) => (c.description ? [{ path: [c.name], description: c.description }] : []));
    this.catalogCache = { entries: list, namespaces };
    return this.catalogCache;
  }

  /** `declare const codemode: { ... }` for this set (printed on first use). */
  declarations(): string {
    this.declarationCache ??= printDeclarations(this.catalog().entries, { namespaces: this.catalog().namespaces });
    return this.declarationCache;
  }

  /** For a name that is not a tool: the nearest real name and what exists. The name is shown cut. */
  unknownToolMessage(fullName: string): string {
    const names = this.names();
    const shown = fullName.length <= MAX_SHOWN_NAME ? fullName : `${fullName.slice(0, MAX_SHOWN_NAME)}…`;
    if (names.length === 0) return `codemode.${shown} is not a tool: this host offers no tools.`;
    // closest() skips, without comparing, every name too far from this one in length to be its typo.
    const suggestion = closest(fullName, names);
    const listed = names.length <= MAX_LISTED_NAMES ? names : names.slice(0, MAX_LISTED_NAMES);
    const more = names.length - listed.length;
    return (
      `codemode.${shown} is not a tool.` +
      (suggestion ? ` Did you mean codemode.${suggestion}?` : '') +
      ` Available: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`
    );
  }
}

/**
 * The live tool set of an executor (`executor.tools`). `add`, `replace` and `remove` take effect for runs
 * started afterwards; `declarations()`, `search()` and `check()` follow at once.
 */
export class ToolRegistry {
  private set: ToolSet;
  private readonly listeners = new Set<(change: ToolSetChange) => void>();

  constructor(tools: readonly ToolDefinition[] = [], capabilities: readonly Capability[] = []) {
    for (const [name, value] of [['tools', tools], ['capabilities', capabilities]] as const) {
      if (!Array.isArray(value)) throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be an array, got ${describeValue(value)}`);
    }
    this.set = build(tools.map((tool) => defineTool(tool)), capabilities.map((capability) => defineCapability(capability)));
  }

  /** The tool set as it is now; a run started now keeps this one. */
  get current(): ToolSet {
    return this.set;
  }

  /**
   * Adds a tool (`codemode.<name>`) or a capability (`codemode.<name>.<tool>`). Throws `CodemodeError`
   * (`INVALID_TOOL`, `DUPLICATE_TOOL`) when it is malformed or its name is taken; the set is then unchanged.
   */
  add(toolOrCapability: ToolDefinition | Capability): this {
    const item = defineItem(toolOrCapability);
    if (this.taken(item.name)) throw new CodemodeError('DUPLICATE_TOOL', `a tool or capability named "${item.name}" already exists`);
    this.change(this.with(undefined, item));
    return this;
  }

  /** Adds, or swaps in place of the tool or capability of the same name, in one change. */
  replace(toolOrCapability: ToolDefinition | Capability): this {
    const item = defineItem(toolOrCapability);
    this.change(this.with(item.name, item));
    return this;
  }

  /**
   * Several replacements and removals as one change (a tool source that swapped its namespaces): runs, the
   * execute description and clients see them together, once. `remove` names that do not exist are ignored.
   * Throws like `replace` for a malformed item; the set is then unchanged.
   */
  update(changes: { readonly replace?: readonly (ToolDefinition | Capability)[]; readonly remove?: readonly string[] }): this {
    const items = (changes.replace ?? []).map(defineItem);
    let next = this.set;
    for (const name of changes.remove ?? []) {
      if (next.tools.some((tool) => tool.name === name) || next.capabilities.some((capability) => capability.name === name)) next = this.with(name, undefined, next);
    }
    for (const item of items) if (!alreadyIn(next, item)) next = this.with(item.name, item, next);
    // Nothing to do is no change: listeners are not told, clients not bothered.
    if (next !== this.set) this.change(next);
    return this;
  }

  /** Removes the top-level tool or the capability named `name`. False when there is none. */
  remove(name: string): boolean {
    if (!this.taken(name)) return false;
    this.change(this.with(name, undefined));
    return true;
  }

  /** Calls `listener` after each change. Returns the function that unsubscribes it. */
  onChange(listener: (change: ToolSetChange) => void): () => void {
    if (typeof listener !== 'function') throw new CodemodeError('INVALID_OPTION', `expected the listener to be a function, got ${describeValue(listener)}`);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // The reading side of the current set, so `executor.registry.get(name)` keeps working.
  get(fullName: string): RegisteredTool | undefined {
    return this.set.get(fullName);
  }

  names(): string[] {
    return this.set.names();
  }

  tools(): RegisteredTool[] {
    return this.set.list();
  }

  get capabilities(): readonly Capability[] {
    return this.set.capabilities;
  }

  private taken(name: string): boolean {
    return this.set.tools.some((t) => t.name === name) || this.set.capabilities.some((c) => c.name === name);
  }

  /** The current set without the item named `without`, with `item` in its place (or at the end). */
  private with(without: string | undefined, item: Item | undefined, base: ToolSet = this.set): ToolSet {
    const swap = <T extends { name: string }>(list: readonly T[], added: T | undefined): T[] => {
      const index = list.findIndex((entry) => entry.name === without);
      const next = list.filter((entry) => entry.name !== without);
      if (added) next.splice(index === -1 ? next.length : index, 0, added);
      return next;
    };
    const { tools, capabilities } = base;
    if (item?.kind === 'tool') return build(swap(tools, item.tool), swap(capabilities, undefined));
    if (item?.kind === 'capability') return build(swap(tools, undefined), swap(capabilities, item.capability));
    return build(swap(tools, undefined), swap(capabilities, undefined));
  }

  private change(next: ToolSet): void {
    const before = this.set;
    this.set = next;
    const added = next.list().filter((tool) => before.get(tool.fullName)?.definition !== tool.definition).map((tool) => tool.fullName);
    const removed = before.list().filter((tool) => next.get(tool.fullName)?.definition !== tool.definition).map((tool) => tool.fullName);
    const change: ToolSetChange = { added, removed };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A throwing listener must not undo a change that has happened, nor keep the others from hearing of it.
      }
    }
  }
}

type Item = { kind: 'tool'; name: string; tool: ToolDefinition } | { kind: 'capability'; name: string; capability: Capability };

/** A capability has `tools`; anything else must be a tool. */
function defineItem(value: ToolDefinition | Capability): Item {
  if (typeof value === 'object' && value !== null && 'tools' in value) {
    const capability = defineCapability(value);
    return { kind: 'capability', name: capability.name, capability };
  }
  const tool = defineTool(value as ToolDefinition);
  return { kind: 'tool', name: tool.name, tool };
}

/** True when `set` holds a capability equal to `item`'s: same name, description and tool definitions. */
function alreadyIn(set: ToolSet, item: Item): boolean {
  if (item.kind !== 'capability') return false;
  const existing = set.capabilities.find((capability) => capability.name === item.name);
  const { description, tools } = item.capability;
  return existing !== undefined && existing.description === description && existing.tools.length === tools.length && existing.tools.every((tool, index) => tool === tools[index]);
}

/** A set of `tools` and `capabilities`; throws DUPLICATE_TOOL for two tools at one name. */
function build(tools: readonly ToolDefinition[], capabilities: readonly Capability[]): ToolSet {
  const byName = new Map<string, RegisteredTool>();
  const add = (tool: ToolDefinition, namespace: string | undefined) => {
    const fullName = namespace === undefined ? tool.name : `${namespace}.${tool.name}`;
    if (byName.has(fullName)) throw new CodemodeError('DUPLICATE_TOOL', `two tools are named "${fullName}"`);
    byName.set(fullName, registered(tool, namespace, fullName));
  };
  for (const tool of tools) add(tool, undefined);
  const seen = new Set<string>();
  for (const capability of capabilities) {
    if (seen.has(capability.name) || tools.some((tool) => tool.name === capability.name)) {
      throw new CodemodeError('DUPLICATE_TOOL', `capability "${capability.name}" has the same name as another tool or capability`);
    }
    seen.add(capability.name);
    for (const tool of capability.tools) add(tool, capability.name);
  }
  return new ToolSet(Object.freeze([...tools]), Object.freeze([...capabilities]), byName);
}

/** One RegisteredTool per (definition, namespace), so sets that share a tool share its cached entry. */
const registeredTools = new WeakMap<ToolDefinition, Map<string | undefined, RegisteredTool>>();

function registered(tool: ToolDefinition, namespace: string | undefined, fullName: string): RegisteredTool {
  let byNamespace = registeredTools.get(tool);
  if (!byNamespace) registeredTools.set(tool, (byNamespace = new Map()));
  let found = byNamespace.get(namespace);
  if (!found) byNamespace.set(namespace, (found = Object.freeze({ fullName, namespace, definition: tool, approval: tool.approval ?? 'auto' })));
  return found;
}

/** Sets extended with a capability, per (set, capability): a run and `declarations()` share one. */
const extended = new WeakMap<ToolSet, WeakMap<Capability, ToolSet>>();

/**
 * `set` with `capability` added after its own (the executor's workflows beside its tools). Throws
 * DUPLICATE_TOOL when `set` already has a tool or capability of that name.
 */
export function withCapability(set: ToolSet, capability: Capability): ToolSet {
  let byCapability = extended.get(set);
  if (!byCapability) extended.set(set, (byCapability = new WeakMap()));
  let found = byCapability.get(capability);
  if (!found) byCapability.set(capability, (found = build(set.tools, [...set.capabilities, capability])));
  return found;
}
