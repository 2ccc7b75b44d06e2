// Turns the code a model sent into a script for the sandbox: a script whose completion value is the async
// function to call. Accepted forms: a markdown fence around the code; one (async) arrow function or function
// (declaration or expression), which is called; anything else is a function body with top-level await and
// return. Line numbers are kept: errors and stacks point at the lines the model sent.
import { createRequire } from 'node:module';
import type TypeScript from 'typescript';

export interface Normalized {
  /** Evaluates to the function to call. */
  source: string;
  /** Added to line numbers so that they count lines of the code as sent. */
  lineOffset: number;
  columnOffset: number;
}

const FENCE = /^\s*```[\w-]*[^\S\n]*\n([\s\S]*?)\n?\s*```\s*$/;
const MAYBE_FUNCTION = /^\s*(?:async\b|function\b|\(|[\w$]+\s*=>)/;

export function normalize(code: string): Normalized {
  let body = code;
  let firstLine = 1;
  const fenced = FENCE.exec(code);
  if (fenced) {
    body = fenced[1]!;
    const bodyStart = code.indexOf('\n', code.indexOf('```')) + 1;
    firstLine = code.slice(0, bodyStart).split('\n').length;
  }
  // The wrapper puts the body on its own line after one line of prefix.
  const lineOffset = firstLine - 2;
  if (MAYBE_FUNCTION.test(body) && isSingleFunction(body)) return { source: `(\n${body}\n)`, lineOffset, columnOffset: 0 };
  return { source: `(async () => {\n${body}\n})`, lineOffset, columnOffset: 0 };
}

let typescript: typeof TypeScript | undefined;

/** True when the code is exactly one function: `async () => {...}`, `async function main() {...}`. */
function isSingleFunction(code: string): boolean {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  const ts = typescript;
  const file = ts.createSourceFile('code.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  if (file.statements.length !== 1) return false;
  const statement = file.statements[0]!;
  if (ts.isFunctionDeclaration(statement)) return statement.body !== undefined;
  if (!ts.isExpressionStatement(statement)) return false;
  let expression = statement.expression;
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return ts.isArrowFunction(expression) || ts.isFunctionExpression(expression);
}
