import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicPackages } from './workspace.js';

describe('publicPackages', () => {
  it('lists every non-private package, and turbo builds each before the publish check runs', () => {
    const names = publicPackages().map((pkg) => pkg.name);
    expect(names).toContain('@baton/core');
    expect(names).not.toContain('@baton/publish-check');
    const turbo = JSON.parse(readFileSync(new URL('../turbo.json', import.meta.url), 'utf8')) as {
      tasks: { 'test:int': { dependsOn: string[] } };
    };
    // A new public package must be added to turbo.json too, or test:int would pack it unbuilt.
    expect([...turbo.tasks['test:int'].dependsOn].sort()).toEqual(names.map((name) => `${name}#build`).sort());
  });
});
