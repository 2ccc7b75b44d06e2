// The zod schema of a rule, for fronts that validate a whole document at once (the CLI config file, a
// tool's input schema). Derived from the same rules as every other check, so a range is written once; the
// schema also prints as JSON Schema with the range in it. Kept apart from ./rules.ts so that the executor
// checks options without loading zod's schema builders.
import { z } from 'zod';
import type { FlagRule, IntegerRule, Rule, TextListRule, TextRule } from './rules.js';

export type ZodOf<R extends Rule> = R extends IntegerRule
  ? z.ZodNumber
  : R extends TextRule
    ? z.ZodString
    : R extends FlagRule
      ? z.ZodBoolean
      : R extends TextListRule
        ? z.ZodArray<z.ZodString>
        : never;

export function zodOf<R extends IntegerRule | TextRule | FlagRule | TextListRule>(rule: R): ZodOf<R>;
export function zodOf(rule: IntegerRule | TextRule | FlagRule | TextListRule): z.ZodType {
  switch (rule.type) {
    case 'integer':
      return z.number().int().min(rule.min).max(rule.max);
    case 'text':
      return z.string().min(1);
    case 'flag':
      return z.boolean();
    case 'text-list':
      return z.array(z.string().min(1));
  }
}
