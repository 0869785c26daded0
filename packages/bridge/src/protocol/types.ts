import { z } from 'zod/v4';

/** Token usage as the Python side reports it (camelCase, matches core's `TokenUsage`). */
export const wireUsageSchema = z.object({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  totalTokens: z.number().optional(),
  model: z.string().optional(),
  /** The model's provider as a `gen_ai.provider.name` value (`openai`, `aws.bedrock`, …), when the runner knows it. */
  provider: z.string().optional(),
});

/** Result of a `run` request. */
export const runResultSchema = z.object({ output: z.unknown(), usage: wireUsageSchema.nullish() });

/** A `run` request's result: the step output and optional token usage. */
export type RunResultWire = z.infer<typeof runResultSchema>;

/** Params of a `progress` notification (Python → TypeScript). */
export const progressParamsSchema = z.object({
  runId: z.string(),
  callId: z.string(),
  seq: z.number().int().positive(),
  event: z.unknown(),
});

/** A progress notification's params. */
export type ProgressParams = z.infer<typeof progressParamsSchema>;

/** What `initialize` reports about one requested runner. */
export const runnerInfoSchema = z.union([
  z.object({ ok: z.literal(true), frameworks: z.record(z.string(), z.string()) }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
  }),
]);

/** Result of `initialize`. */
export const initializeResultSchema = z.object({
  protocolVersion: z.number(),
  server: z.object({ name: z.string(), version: z.string() }),
  python: z.object({ version: z.string(), implementation: z.string(), executable: z.string() }),
  pid: z.number(),
  capabilities: z.record(z.string(), z.unknown()),
  runners: z.record(z.string(), runnerInfoSchema),
  available: z.array(z.string()),
  frameworks: z.record(z.string(), z.string()),
});

/** What a worker reported at `initialize`: versions, capabilities and runner status. */
export type InitializeResult = z.infer<typeof initializeResultSchema>;

/** Params of a `run` request (TypeScript → Python). */
export interface RunParams {
  /** Unique per invocation; `cancel` and progress notifications refer to it. */
  callId: string;
  /** Runner name: `crewai`, `autogen`, `callable`, `echo`, ... or `module:Class`. */
  runner: string;
  /** `module:attr` the runner resolves (ignored by the test runners). */
  target: string;
  input: unknown;
  /** The Baton run id (`ctx.runId`). */
  runId: string;
  stepId?: string;
  idempotencyKey?: string;
  /** W3C trace context of the calling span. */
  traceparent?: string;
  tracestate?: string;
  /** Runner-specific options, passed through as `ctx.options`. */
  options?: Record<string, unknown>;
}

/** A JSON-RPC error object as received from the Python side. */
export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}
