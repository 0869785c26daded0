export type { AgentProgress } from '@baton/core';
