import type { Workflow } from '@baton/core';

export declare const ENTRY_BYTES: number;
export declare function appendEntry(path: string, text: string): void;
export declare function readEntries(path: string): string[];
export declare function makeCrashWorkflow(hooks: { executed(key: string): void; effect(key: string): void; delayMs(): number }): Workflow;
export declare function crashInput(runId: string): { seed: number; topic: string };
