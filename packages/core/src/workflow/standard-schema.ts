/**
 * The Standard Schema v1 interface (https://standardschema.dev) from `@standard-schema/spec`,
 * a types-only package: zod 4, valibot, arktype and others implement it, so core accepts
 * any of them and depends on none. Re-exported so users name it from `@baton/core`.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

export type { StandardSchemaV1 };

/** True for any Standard Schema (an object, or an arktype-style callable, with a `~standard.validate` function). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}
