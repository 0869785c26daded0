import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingConfigNote } from '../config/find-config.js';
import { loadWorkflowFile } from './check-workflow-file.js';

describe('loadWorkflowFile', () => {
  it('says that no baton.config was found, and where it looked, when a `uses:` key is unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-noconfig-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'metadata: { name: w, version: "1" }\nsteps:\n  - { id: a, uses: plan }\n');
    const note = missingConfigNote([dir, '/']);
    const error = await loadWorkflowFile(file, {}, note).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toContain("no agent 'plan' in the registry");
    expect(error?.message.split('\n').at(-1)).toBe(
      `No baton.config was found, so the agent registry is empty. Looked for baton.config.{ts,mts,js,mjs,json} in: ${dir}, /. Create one (see the @baton/cli README), or pass --config <file>.`,
    );
  });
});
