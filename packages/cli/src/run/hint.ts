import { relative } from 'node:path';
import { findConfigFile } from '../config/find-config.js';
import type { GlobalOptions, Project } from '../project.js';

/**
 * The flags a follow-up command (`baton resume`, `baton runs show`) run from
 * the current folder needs to reach the same store: `--config` when the config
 * would not be found from here, `--store-dir` when it was given.
 */
export function hintFlags(options: GlobalOptions, project: Project): string {
  const flags: string[] = [];
  if (options.storeDir) flags.push(`--store-dir ${quote(options.storeDir)}`);
  if (project.file && !options.config && findConfigFile(process.cwd()) !== project.file)
    flags.push(`--config ${quote(relative(process.cwd(), project.file))}`);
  if (options.config) flags.push(`--config ${quote(options.config)}`);
  return flags.map((flag) => ` ${flag}`).join('');
}

function quote(text: string): string {
  return /^[\w./@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
