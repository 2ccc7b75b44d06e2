// A small vocabulary for the shape of the messages a sandbox process sends to the host. The protocol
// (protocol.ts) states each message once with these builders; its TypeScript types are inferred from that
// statement and the host's validator (validate.ts) checks against the same statement, so the two cannot
// drift apart. Sizes are stated as caps: a number, or the name of a run limit the host resolves per run.

/** The run limits a cap can name. */
export type CapLimit = 'maxValueChars' | 'maxLogChars' | 'maxHostCalls';
/** A size bound: a fixed number, one of the run's limits, or a limit plus a fixed allowance. */
export type Cap = number | CapLimit | { readonly limit: CapLimit; readonly plus: number };

export type Shape =
  | { readonly kind: 'literal'; readonly value: string | boolean }
  /** A string the protocol itself produces: a wrong type or a longer one breaks the protocol. */
  | { readonly kind: 'string'; readonly max: Cap }
  /** Text the model can influence: coerced to a string and cut at `max` on the host, never refused. */
  | { readonly kind: 'text'; readonly max: Cap }
  | { readonly kind: 'int'; readonly min: number; readonly max: Cap }
  /** A finite number, at least 0. */
  | { readonly kind: 'amount' }
  | { readonly kind: 'oneOf'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly item: Shape; readonly max: Cap }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape | Optional>> }
  /** One of several object shapes, told apart by the literal value of `key`. */
  | { readonly kind: 'union'; readonly key: string; readonly options: readonly ObjectShape[] };

export type ObjectShape = Extract<Shape, { kind: 'object' }>;
export interface Optional<S extends Shape = Shape> {
  readonly kind: 'optional';
  readonly shape: S;
}

export const literal = <const V extends string | boolean>(value: V) => ({ kind: 'literal', value }) as const;
export const string = (max: Cap) => ({ kind: 'string', max }) as const;
export const text = (max: Cap) => ({ kind: 'text', max }) as const;
export const int = (min: number, max: Cap) => ({ kind: 'int', min, max }) as const;
export const amount = () => ({ kind: 'amount' }) as const;
export const oneOf = <const V extends readonly string[]>(values: V) => ({ kind: 'oneOf', values }) as const;
export const list = <const I extends Shape>(item: I, max: Cap) => ({ kind: 'list', item, max }) as const;
export const object = <const F extends Record<string, Shape | Optional>>(fields: F) => ({ kind: 'object', fields }) as const;
export const optional = <const S extends Shape>(shape: S): Optional<S> => ({ kind: 'optional', shape });
export const union = <const O extends readonly ObjectShape[]>(key: string, options: O) => ({ kind: 'union', key, options }) as const;

/** The TypeScript type of the data a shape accepts. */
export type Infer<S> = S extends { kind: 'literal'; value: infer V }
  ? V
  : S extends { kind: 'string' | 'text' }
    ? string
    : S extends { kind: 'int' | 'amount' }
      ? number
      : S extends { kind: 'oneOf'; values: readonly (infer V)[] }
        ? V
        : S extends { kind: 'list'; item: infer I }
          ? Infer<I>[]
          : S extends { kind: 'object'; fields: infer F }
            ? InferObject<F>
            : S extends { kind: 'union'; options: readonly (infer O)[] }
              ? Infer<O>
              : never;

type InferObject<F> = Flat<
  { -readonly [K in keyof F as F[K] extends Optional ? never : K]: Infer<F[K]> } & {
    -readonly [K in keyof F as F[K] extends Optional ? K : never]?: F[K] extends Optional<infer S> ? Infer<S> : never;
  }
>;
type Flat<T> = { [K in keyof T]: T[K] };
