import type { Workflow } from '@baton/core';

/** The workflow's name, as the workers look it up. */
export declare const WORKFLOW_NAME: string;
/** root → m0, m1, m2 → join; `root` outputs its start time, `join` its end time (ms since the epoch). */
export declare const benchWorkflow: Workflow<any, any>;
