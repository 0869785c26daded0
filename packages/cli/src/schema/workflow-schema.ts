import { workflowDocumentSchema } from '@baton/core';
import { z } from 'zod';
import { CliError } from '../errors.js';
import { FIELD_DOCS } from './field-docs.js';

/** A JSON Schema node, as `z.toJSONSchema` writes it (draft-07). */
export type JsonSchemaNode = { [key: string]: unknown };

/** Where the published schema is served: unpkg's copy of the file `@baton/cli` ships. */
export const WORKFLOW_SCHEMA_URL = 'https://unpkg.com/@baton/cli/schema/workflow.schema.json';

/**
 * The pattern of a duration with its unit, as `parseDuration` in `@baton/core` reads it. JSON Schema cannot say
 * "longer than 0" for a string, so `0s` passes the schema and is refused by `baton validate`.
 */
export const DURATION_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)\\s*$';

/** A field of the document and every schema node found at its path (a path can sit under several `anyOf` branches). */
export interface SchemaField {
  /** Dotted path, `*` for one step: `steps.*.retry.maxAttempts`. */
  path: string;
  nodes: JsonSchemaNode[];
  required: boolean;
}

/**
 * The JSON Schema (draft-07) of the YAML/JSON workflow document, generated from core's zod
 * `workflowDocumentSchema` (its input side), with each field's meaning from {@link FIELD_DOCS} as `description`.
 * `packages/cli/schema/workflow.schema.json` is this value; `pnpm --filter @baton/cli gen:schema` rewrites it.
 * It checks shape and types; graph checks (cycles, unknown `needs`, registry keys) stay with `baton validate`.
 */
export function workflowJsonSchema(): JsonSchemaNode {
  const generated = z.toJSONSchema(workflowDocumentSchema, {
    io: 'input',
    target: 'draft-7',
    // `any` lets `override` fill in the duration; anything else that comes out empty is refused there.
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const type = zodSchema._zod.def.type;
      // The only custom schema in a document is the duration (a string checked by a refinement).
      if (type === 'custom') Object.assign(jsonSchema, { type: 'string', pattern: DURATION_PATTERN });
      else if (Object.keys(jsonSchema).length === 0 && type !== 'unknown' && type !== 'any' && type !== 'optional') {
        throw new CliError(`the workflow schema has a ${type} field that JSON Schema cannot express`, {
          code: 'BATON_CLI_SCHEMA_UNREPRESENTABLE',
        });
      }
    },
  }) as JsonSchemaNode;
  const { $schema, ...rest } = generated;
  const schema: JsonSchemaNode = {
    $schema,
    $id: WORKFLOW_SCHEMA_URL,
    title: 'Baton workflow',
    description: 'A declarative Baton workflow (YAML or JSON): run it with `baton run <file>`.',
    ...rest,
  };
  for (const field of schemaFields(schema)) {
    const doc = FIELD_DOCS[field.path];
    if (!doc) continue; // the test that compares FIELD_DOCS with schemaFields reports it
    const description = doc.default ? `${doc.meaning} Default: ${stripTicks(doc.default)}.` : doc.meaning;
    for (const node of field.nodes) node.description = description;
  }
  return schema;
}

/** The schema file's text: two-space JSON and a final newline. */
export function workflowSchemaText(): string {
  return `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;
}

/** Every field under `root`, in document order; the map and list forms of `steps` share the `steps.*` paths. */
export function schemaFields(root: JsonSchemaNode): SchemaField[] {
  const fields = new Map<string, SchemaField>();
  const visit = (node: JsonSchemaNode, path: string, required: boolean): void => {
    if (path !== '') {
      const field = fields.get(path) ?? { path, nodes: [], required };
      field.nodes.push(node);
      fields.set(path, field);
    }
    for (const branch of (node.anyOf as JsonSchemaNode[] | undefined) ?? []) visitChildren(branch, path);
    visitChildren(node, path);
  };
  const visitChildren = (node: JsonSchemaNode, path: string): void => {
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const [key, child] of Object.entries((node.properties as Record<string, JsonSchemaNode>) ?? {})) {
      visit(child, path === '' ? key : `${path}.${key}`, required.has(key));
    }
    const items = node.items as JsonSchemaNode | undefined;
    const values = node.additionalProperties;
    // Lists of plain values (`needs`, `tags`) are one field; only lists and maps of objects have sub-fields.
    for (const element of [items, typeof values === 'object' ? (values as JsonSchemaNode) : undefined]) {
      if (element && (element.type === 'object' || element.properties)) visit(element, `${path}.*`, true);
    }
  };
  visitChildren(root, '');
  return [...fields.values()];
}

function stripTicks(text: string): string {
  return text.replaceAll('`', '');
}
