import fc from 'fast-check';

/**
 * A small OpenAPI-schema → fast-check mapper for hostile request bodies: mostly plausible values
 * (so bodies get past validation and into the handlers), mixed with huge/unicode/control-char
 * strings, NaN-like and out-of-range numbers, wrong types, missing required fields, extra fields
 * and nested arrays.
 */
type Schema = Record<string, any>;

const CONTROL = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const NASTY_STRINGS = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u202e\u0041\u0301',
  '💩'.repeat(50),
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  '../../../../etc/passwd',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  '2026-02-30T25:61:00Z',
  '9999-99-99',
  '00000000-0000-0000-0000-000000000000',
  'Mars/Olympus',
  '\ud800',
);
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  NASTY_STRINGS,
  CONTROL,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1e-7, 5e-324, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 0.5, 1e-300),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '12abc', ''),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), hostileString, hostileNumber);
/** Values of the wrong type, including nested arrays and objects. */
export const wrongType: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('any'), { maxLength: 4 }),
  obj: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')), tie('any'), { maxKeys: 4 }),
})).any;

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema> = {}) {}

  private deref(s: Schema): Schema {
    let cur = s;
    for (let i = 0; cur?.$ref && i < 10; i++) cur = this.components[String(cur.$ref).split('/').pop()!] ?? {};
    if (cur?.allOf) return Object.assign({}, ...cur.allOf.map((x: Schema) => this.deref(x)));
    return cur ?? {};
  }

  /** Plausible values for the schema (what a well-meaning client would send). */
  plausible(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.deref(schema);
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf).map((x: Schema) => this.value(x, depth + 1)));
    const type = s.type ?? (s.properties ? 'object' : undefined);
    switch (type) {
      case 'string':
        return this.plausibleString(s);
      case 'number':
      case 'integer': {
        const min = s.minimum ?? -1000;
        const max = s.maximum ?? Math.max(min + 1000, 1000);
        return type === 'integer'
          ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
          : fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        if (depth > 4) return fc.constant([]);
        return fc.array(this.value(s.items ?? {}, depth + 1), { maxLength: 4 });
      case 'object':
        return this.object(s, depth);
      default:
        return scalar;
    }
  }

  private plausibleString(s: Schema): fc.Arbitrary<string> {
    switch (s.format) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress();
      case 'date-time':
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString());
      case 'date':
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString().slice(0, 10));
      case 'uri':
      case 'url':
        return fc.webUrl();
    }
    return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) });
  }

  /** A value that is usually plausible and sometimes hostile. */
  value(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.deref(schema);
    const type = s.type ?? (s.properties ? 'object' : undefined);
    const hostile =
      type === 'string'
        ? fc.oneof(hostileString, wrongType)
        : type === 'number' || type === 'integer'
          ? fc.oneof(hostileNumber, wrongType)
          : wrongType;
    return fc.oneof({ weight: 5, arbitrary: this.plausible(s, depth) }, { weight: 1, arbitrary: hostile });
  }

  private object(s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props: Record<string, Schema> = s.properties ?? {};
    const required: string[] = s.required ?? [];
    const keys = Object.keys(props);
    if (depth > 4 || keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 });
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const k of keys) model[k] = this.value(props[k], depth + 1);
    const base = fc.record(model, { requiredKeys: required.filter((k) => keys.includes(k)) });
    return fc
      .tuple(base, fc.nat({ max: 9 }), fc.constantFrom(...keys), fc.string({ maxLength: 10 }), wrongType)
      .map(([obj, mutation, key, extraKey, junk]) => {
        const o: Record<string, unknown> = { ...obj };
        if (mutation === 0)
          delete o[key]; // a missing (maybe required) field
        else if (mutation === 1)
          o[`x_${extraKey}`] = junk; // an unknown field
        else if (mutation === 2)
          o[key] = junk; // a wrong type
        else if (mutation === 3) o[key] = [[o[key]]]; // nested arrays
        return o;
      });
  }

  /** A whole request body: an object from the schema (top-level non-objects are probed on their own). */
  body(schema: Schema): fc.Arbitrary<unknown> {
    return this.plausible(schema);
  }
}

/**
 * Every number-typed leaf of a schema, as a function that builds the smallest body holding a
 * given value at that leaf (objects and arrays along the way). Validation checks every field,
 * so the rest of the body need not be valid for the value to reach its validators.
 */
export function numericLeaves(
  schema: Schema,
  components: Record<string, Schema> = {},
): Array<{ path: string; build(v: unknown): unknown }> {
  return leavesOf(schema, components, (type) => type === 'number' || type === 'integer');
}

/** Every string field of a request schema (the same walk as numericLeaves). */
export function stringLeaves(schema: Schema, components: Record<string, Schema> = {}): Array<{ path: string; build(v: unknown): unknown }> {
  return leavesOf(schema, components, (type) => type === 'string');
}

function leavesOf(
  schema: Schema,
  components: Record<string, Schema>,
  wanted: (type: string | undefined) => boolean,
): Array<{ path: string; build(v: unknown): unknown }> {
  const arbs = new SchemaArbitraries(components);
  const deref = (s: Schema) => (arbs as any).deref(s) as Schema;
  const out: Array<{ path: string; build(v: unknown): unknown }> = [];
  const walk = (s: Schema, path: string, wrap: (inner: unknown) => unknown, depth: number) => {
    const d = deref(s);
    const type = d.type ?? (d.properties ? 'object' : undefined);
    if (depth > 5) return;
    if (wanted(type)) out.push({ path, build: wrap });
    else if (type === 'array') walk(d.items ?? {}, `${path}[]`, (inner) => wrap([inner]), depth + 1);
    else if (type === 'object')
      for (const [k, p] of Object.entries<Schema>(d.properties ?? {}))
        walk(p, path ? `${path}.${k}` : k, (inner) => wrap({ [k]: inner }), depth + 1);
  };
  walk(schema, '', (x) => x, 0);
  return out;
}

/** Numbers at the edges of what JSON and JavaScript agree on. */
export const EDGE_NUMBERS = [1e-7, 5e-324, -1e-7, 1.5e-7, 1e21, -0, 1e308, -1e308, 2 ** 53 + 2, 0.1 + 0.2];
