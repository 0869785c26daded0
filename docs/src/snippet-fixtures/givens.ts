// Values a snippet's surrounding text introduces; a snippet names the ones it uses with `<!-- snippet: given a, b -->`.
import type { SupervisorOptions, Workflow } from '@baton/core';
import type { ParrotClient } from 'parrot-sdk';

type Option<K extends keyof SupervisorOptions> = NonNullable<SupervisorOptions[K]>;

export declare const workflow: Workflow;
export declare const researchWorkflow: Workflow;
export declare const input: unknown;
export declare const runId: string;
export declare const signal: AbortSignal;
export declare const timeoutMs: number;
export declare const allowChangedWorkflow: boolean;
export declare const client: ParrotClient;
export declare const store: Option<'store'>;
export declare const retry: Option<'retry'>;
export declare const breaker: Option<'breaker'>;
export declare const classifiers: Option<'classifiers'>;
export declare const maxConcurrentRuns: Option<'maxConcurrentRuns'>;
export declare const maxQueuedRuns: Option<'maxQueuedRuns'>;
export declare const maxOutputBytes: Option<'maxOutputBytes'>;
export declare const agentLimits: Option<'agentLimits'>;
export declare const healthCheckIntervalMs: Option<'healthCheckIntervalMs'>;
export declare const random: Option<'random'>;
