// `pnpm --filter @baton/cli gen:schema`: rewrites schema/workflow.schema.json and the README's field reference
// (run through jiti, so it needs no build of the CLI; @baton/core must be built). Format with Biome afterwards.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceReference, workflowReferenceTable } from './reference.js';
import { workflowSchemaText } from './workflow-schema.js';

const schemaFile = fileURLToPath(new URL('../../schema/workflow.schema.json', import.meta.url));
const readmeFile = fileURLToPath(new URL('../../README.md', import.meta.url));
writeFileSync(schemaFile, workflowSchemaText());
writeFileSync(readmeFile, replaceReference(readFileSync(readmeFile, 'utf8'), workflowReferenceTable()));
console.log(`wrote ${schemaFile} and the reference in ${readmeFile}`);
