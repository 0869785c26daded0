import { BatonError } from '../errors/baton-error.js';
import { OutputNotStorableError } from '../errors/errors.js';
import type { SerializedError } from '../checkpoint/types.js';

/** Turns any thrown value into the plain shape stored in checkpoints and events. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const serialized: SerializedError = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') serialized.code = code;
    if (BatonError.isInstance(error) && error.kind) serialized.kind = error.kind;
    if (error.stack) serialized.stack = error.stack;
    return serialized;
  }
  return { name: 'NonError', message: typeof error === 'string' ? error : safeJson(error) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rebuilds an Error from its stored form (for results restored by `resume`). */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.code) (error as Error & { code?: string }).code = serialized.code;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/** How deep an output may nest (JSON.stringify itself overflows the stack a few thousand levels down). */
export const MAX_OUTPUT_DEPTH = 1000;

/** Most characters a finite number takes in JSON (`-0.0000012345678901234567`). */
const NUMBER_CHARS = 25;
/** Most UTF-8 bytes one UTF-16 code unit takes in JSON (`\u0000`-style escapes); strings are bounded by this. */
const BYTES_PER_UNIT = 6;

/** State of one walk: the objects seen so far (a lower bound of the size) and the first refusal. */
interface Walk {
  objects: number;
  /** Half of maxBytes: every object or array takes at least 2 bytes of JSON. */
  maxObjects: number;
  refusal?: Refusal;
}

/** The first value found that JSON would not give back unchanged. */
interface Refusal {
  /** Keys from the root to the bad value, filled in while the walk unwinds. */
  path: (string | number)[];
  reason: string;
  /** The depth limit was hit: a cycle, or deep nesting (told apart only then, by `findCycle`). */
  deep?: true;
  /** More objects than `maxBytes` could hold (stopped early: shared references can make the JSON huge). */
  tooLarge?: boolean;
}

/**
 * Checks that a step output comes back from a checkpoint exactly as dependents saw it live, and fits
 * `maxBytes` of JSON. Stored: `null`, booleans, finite numbers, strings, arrays and plain objects
 * (prototype `Object.prototype`, `null`, or another realm's `Object.prototype`) of those, at most {@link MAX_OUTPUT_DEPTH} levels deep; a
 * top-level `undefined` (no output). Refused with `OutputNotStorableError` naming the JSON path of the
 * first bad value: `undefined` inside an output (object property, array item or hole), `NaN`, `±Infinity`,
 * bigints, functions, symbols, `Date`, `Map`, `Set`, class instances and any other non-plain prototype,
 * array subclasses, cycles. `-0` is stored as `0` (the two are `===`). Symbol-keyed and non-enumerable
 * properties are invisible to JSON and not checked.
 *
 * One walk, no serialization: the walk sums an upper bound of the JSON size, and only when that bound
 * exceeds `maxBytes` is the output serialized to measure it exactly. It also counts objects and arrays
 * (each at least 2 bytes of JSON), so shared references cannot make it walk far past `maxBytes`.
 */
export function assertStorable(stepId: string, output: unknown, maxBytes: number): void {
  if (output === undefined || output === null || typeof output === 'boolean') return;
  if (typeof output === 'string' && output.length * 3 <= maxBytes) return; // UTF-8 worst case fits
  const walk: Walk = { objects: 0, maxObjects: maxBytes / 2 };
  let bytes: number;
  try {
    bytes = measure(output, 0, walk);
    if (walk.refusal) throw refusalError(stepId, output, walk.refusal, maxBytes);
    if (bytes <= maxBytes) return;
    bytes = Buffer.byteLength(JSON.stringify(output)); // the bound is not enough: measure exactly
  } catch (error) {
    if (error instanceof OutputNotStorableError) throw error;
    // A getter (or proxy trap) threw while the output was read.
    const reason = `reading it threw (${error instanceof Error ? error.message : String(error)})`;
    throw new OutputNotStorableError(stepId, reason, { cause: error });
  }
  if (bytes > maxBytes)
    throw new OutputNotStorableError(stepId, `${bytes} bytes of JSON exceeds maxOutputBytes ${maxBytes}`);
}

/** An upper bound of `value`'s JSON size in bytes, or -1 with `walk.refusal` set. */
function measure(value: unknown, depth: number, walk: Walk): number {
  switch (typeof value) {
    case 'string':
      return value.length * BYTES_PER_UNIT + 2;
    case 'number':
      return Number.isFinite(value) ? NUMBER_CHARS : refuse(walk, `${value} (JSON would store it as null)`);
    case 'boolean':
      return 5;
    case 'object':
      if (value === null) return 4;
      if (depth >= MAX_OUTPUT_DEPTH) {
        walk.refusal = { path: [], reason: '', deep: true };
        return -1;
      }
      if (++walk.objects > walk.maxObjects) {
        walk.refusal = { path: [], reason: '', tooLarge: true };
        return -1;
      }
      return measureObject(value, depth + 1, walk);
    case 'undefined':
      return refuse(walk, 'undefined (JSON would drop it)');
    default:
      return refuse(walk, describeOther(value));
  }
}

function measureObject(value: object, depth: number, walk: Walk): number {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) return measureArray(value as unknown[], depth, walk);
  const plain = value as Record<string, unknown>;
  if (prototype === Object.prototype || prototype === null) return measurePlain(plain, depth, walk);
  if (isForeignPlainPrototype(prototype))
    return Array.isArray(value) ? measureArray(value, depth, walk) : measurePlain(plain, depth, walk);
  return refuse(walk, describeInstance(value));
}

function measureArray(array: readonly unknown[], depth: number, walk: Walk): number {
  let bound = 2 + array.length;
  for (let index = 0; index < array.length; index++) {
    const item = array[index];
    const size = item === undefined ? refuse(walk, index in array ? UNDEFINED_ITEM : HOLE) : measure(item, depth, walk);
    if (size < 0) return unwind(walk, index);
    bound += size;
  }
  return bound;
}

function measurePlain(object: Record<string, unknown>, depth: number, walk: Walk): number {
  const keys = Object.keys(object);
  let bound = 2;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const item = object[key];
    const size = item === undefined ? refuse(walk, UNDEFINED_PROPERTY) : measure(item, depth, walk);
    if (size < 0) return unwind(walk, key);
    bound += size + key.length * BYTES_PER_UNIT + 4; // "key": and a comma
  }
  return bound;
}

const UNDEFINED_ITEM = 'undefined in an array (JSON would store it as null)';
const HOLE = 'a hole in a sparse array (JSON would store it as null)';
const UNDEFINED_PROPERTY = 'undefined (JSON would drop the property; leave it out or use null)';

function refuse(walk: Walk, reason: string): -1 {
  walk.refusal = { path: [], reason };
  return -1;
}

/** Records one more key of the bad value's path on the way back up. */
function unwind(walk: Walk, key: string | number): -1 {
  walk.refusal!.path.push(key);
  return -1;
}

/** The `Object.prototype` or `Array.prototype` of another realm (a `vm` context): still plain data. */
function isForeignPlainPrototype(prototype: unknown): boolean {
  if (typeof prototype !== 'object' || prototype === null) return false;
  const parent: unknown = Object.getPrototypeOf(prototype);
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  if (name === 'Object') return parent === null;
  return name === 'Array' && parent !== null && isForeignPlainPrototype(parent) && Array.isArray(prototype);
}

function describeOther(value: unknown): string {
  if (typeof value === 'bigint') return `a bigint ${value}n (JSON cannot store it; return it as a string)`;
  return `a ${typeof value} (JSON cannot store it)`;
}

function describeInstance(value: object): string {
  if (value instanceof Date) return 'a Date (JSON would store it as a string; return date.toISOString())';
  if (value instanceof Map) return 'a Map (JSON would store it as {}; return Object.fromEntries(map) or [...map])';
  if (value instanceof Set) return 'a Set (JSON would store it as {}; return [...set])';
  if (typeof (value as { then?: unknown }).then === 'function') return 'a promise or thenable (await it first)';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const what =
    typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object of a non-plain prototype';
  return `${what} (only plain objects and arrays come back from JSON unchanged)`;
}

function refusalError(stepId: string, output: unknown, refusal: Refusal, maxBytes: number): OutputNotStorableError {
  if (refusal.tooLarge) {
    const reason = `more than ${maxBytes} bytes of JSON (over ${Math.floor(maxBytes / 2)} objects and arrays)`;
    return new OutputNotStorableError(stepId, `${reason} exceeds maxOutputBytes ${maxBytes}`);
  }
  const path = formatJsonPath(refusal.path.reverse());
  if (refusal.deep) {
    const cycle = findCycle(output);
    if (!cycle)
      return new OutputNotStorableError(stepId, `${shorten(path)} is nested deeper than ${MAX_OUTPUT_DEPTH} levels`, {
        path,
      });
    const at = formatJsonPath(cycle.at);
    return new OutputNotStorableError(
      stepId,
      `${at} is a circular reference (back to ${formatJsonPath(cycle.target)})`,
      { path: at },
    );
  }
  return new OutputNotStorableError(stepId, `${path} is ${refusal.reason}`, { path });
}

/** A reference back to an ancestor: where it is, and the path of the ancestor it refers to. */
interface Cycle {
  at: (string | number)[];
  target: (string | number)[];
}

/** The first reference back to an ancestor, depth first (only called once an output hit the depth limit). */
function findCycle(root: unknown): Cycle | undefined {
  const ancestors: object[] = [];
  const path: (string | number)[] = [];
  let budget = 100_000; // objects visited at most: shared references must not make this search explode
  const visit = (value: unknown): Cycle | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (ancestors.length > MAX_OUTPUT_DEPTH || --budget < 0) return undefined;
    const seen = ancestors.indexOf(value);
    if (seen >= 0) return { at: [...path], target: path.slice(0, seen) };
    ancestors.push(value);
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      path.push(key);
      const found = visit((value as Record<string | number, unknown>)[key]);
      path.pop();
      if (found) return found;
    }
    ancestors.pop();
    return undefined;
  };
  return visit(root);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Formats keys as a JSON path: `$`, `$.items[3].when`, `$["odd key"]`. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let text = '$';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return text;
}

function shorten(path: string): string {
  return path.length <= 80 ? path : `${path.slice(0, 60)}…(${path.length} characters)`;
}
