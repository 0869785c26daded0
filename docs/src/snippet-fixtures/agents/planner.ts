// The LangChain runnable packages/cli/README.md's config imports.
import type { Runnable } from '@langchain/core/runnables';

export declare const planner: Runnable<{ topic: string }, string>;
