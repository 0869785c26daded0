import type { AgentRegistry, CheckpointStore } from '@baton/core';
import { createStore } from './config/create-store.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { resolveRegistry } from './config/resolve-registry.js';

/** Global flags every command accepts. */
export interface GlobalOptions {
  /** `--config <file>` */
  config?: string;
  /** `--store-dir <dir>`: use an fs store in this folder whatever the config says. */
  storeDir?: string;
}

/** The project a command works on: its config, store and registry. */
export interface Project extends LoadedConfig {
  store: CheckpointStore;
  /** The registry with module-specifier entries imported. */
  registry(): Promise<AgentRegistry>;
  /** Closes the store and every registry agent that has `close()`. */
  close(): Promise<void>;
}

/** Loads the config (searching up from `searchFrom`) and opens its store. */
export async function openProject(options: GlobalOptions, searchFrom: string): Promise<Project> {
  const loaded = await loadConfig({ explicitFile: options.config, searchFrom });
  const store = await createStore(loaded.config, loaded.projectDir, {
    storeDir: options.storeDir,
    configFile: loaded.file,
  });
  let registry: Promise<AgentRegistry> | undefined;
  const getRegistry = () =>
    (registry ??= resolveRegistry(loaded.config.registry, loaded.projectDir, loaded.file ?? '(no config file)'));
  return {
    ...loaded,
    store,
    registry: getRegistry,
    async close() {
      const agents = registry ? Object.values(await registry.catch(() => ({}))) : [];
      // Agents may hold processes or sockets (bridges); a failing close must not hide the run's result.
      await Promise.allSettled(
        agents.map((agent) => (typeof agent === 'object' && agent.close ? agent.close() : undefined)),
      );
      await store.close?.();
    },
  };
}
