/** CrewAI's `UsageMetrics`, as the runner returns it (`CrewOutput.token_usage`). */
export interface CrewAITokenUsage {
  total_tokens: number;
  prompt_tokens: number;
  cached_prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens?: number;
  cache_creation_tokens?: number;
  successful_requests: number;
}

/** One task's `TaskOutput`, with CrewAI's field names. */
export interface CrewAITaskOutput<TJson = Record<string, unknown>> {
  /** The task's `name`, when it has one. */
  name: string | null;
  description: string;
  /** Role of the agent that ran the task. */
  agent: string;
  raw: string;
  /** Set when the task has `output_json`. */
  json_dict: TJson | null;
  /** Set when the task has `output_pydantic` (the model dumped to JSON). */
  pydantic: TJson | null;
  /** `'raw'`, `'json'` or `'pydantic'`. */
  output_format: string;
  /** Tool calls that failed during the task (the crew may still have finished). */
  tool_failures: unknown[];
}

/** What a CrewAI step outputs: `CrewOutput` as JSON, keeping CrewAI's field names. */
export interface CrewAIOutput<TJson = Record<string, unknown>> {
  /** The last task's raw text. */
  raw: string;
  /** The last task's JSON output (`output_json`), else null. */
  json_dict: TJson | null;
  /** The last task's pydantic output dumped to JSON (`output_pydantic`), else null. */
  pydantic: TJson | null;
  /** Every task's output, in execution order. */
  tasks_output: CrewAITaskOutput<TJson>[];
  token_usage: CrewAITokenUsage;
}

/** A CrewAI step's input: `kickoff(inputs=...)`, interpolated into `{placeholders}` of agents and tasks. */
export type CrewAIInputs = Record<string, unknown> | null | undefined;

/** Fields on every CrewAI progress event. */
interface CrewAIEventBase {
  framework: 'crewai';
  /** CrewAI's own event type, e.g. `tool_usage_started`. */
  event: string;
  /** CrewAI's emission sequence within the run. */
  seq?: number;
  /** ISO timestamp. */
  at?: string;
  /** Task name (or description) and agent role, when the event has them. */
  task?: string;
  agent?: string;
}

/**
 * Progress events of a CrewAI step (`step.progress` data). Tool and model events use core's
 * `AgentProgress` shapes; the rest are `crewai.<CrewAI event type>`.
 */
export type CrewAIProgress = CrewAIEventBase &
  (
    | { type: 'tool-call'; toolName: string; input: unknown }
    | { type: 'tool-result'; toolName: string; output: string }
    | { type: 'tool-error'; toolName: string; message: string }
    | {
        type: 'model-finish';
        model?: string;
        usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
      }
    | { type: `crewai.${string}`; model?: string; error?: string; output?: string }
  );
