// Which environment variable names an EnvCapability allows: exact names and `PREFIX_*` wildcards.
// Matching is by exact, case-sensitive name (as on Linux and macOS); it must never allow a name
// that merely looks like an allowed one (no case folding, no trimming, no other patterns).
import { CodemodeError } from '../shared/public-api.js';
import { invalidOption } from '../shared/options.js';
import { describeValue } from '../shared/public-api.js';

/** The variable names model code may read. */
export class KeyPolicy {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];
  /** The patterns as written, for hints. */
  readonly shown: readonly string[];

  constructor(where: string, patterns: unknown) {
    if (!Array.isArray(patterns) || patterns.length === 0) {
      invalidOption(where, 'allowedKeys', 'a non-empty array of names or PREFIX_* patterns', patterns);
    }
    const exact = new Set<string>();
    const prefixes: string[] = [];
    patterns.forEach((pattern: unknown, index: number) => {
      if (typeof pattern !== 'string' || pattern.length === 0 || pattern.includes('=') || pattern.includes('\0')) {
        invalidOption(where, `allowedKeys[${index}]`, 'a variable name (no "=" or NUL)', pattern);
      }
      const star = pattern.indexOf('*');
      if (star === -1) {
        exact.add(pattern);
      } else if (star === pattern.length - 1 && star > 0) {
        prefixes.push(pattern.slice(0, -1));
      } else {
        // A bare `*` would hand over every secret in the environment; that must be a list, not a shrug.
        throw new CodemodeError(
          'INVALID_OPTION',
          `${where}: expected \`allowedKeys[${index}]\` to be a name or a PREFIX_* pattern with one trailing "*" after a non-empty prefix, got ${describeValue(pattern)}`,
        );
      }
    });
    this.exact = exact;
    this.prefixes = prefixes;
    this.shown = Object.freeze([...(patterns as string[])]);
  }

  allows(key: string): boolean {
    return this.exact.has(key) || this.prefixes.some((prefix) => key.startsWith(prefix));
  }
}
