/** What the reference says about one field of the workflow document. */
export interface FieldDoc {
  /** What the field does, one or two sentences (Markdown allowed; no `|`). */
  meaning: string;
  /** The value used when the field is left out, as written in a document; omitted when there is none. */
  default?: string;
}

/**
 * Every field of the workflow document, keyed by its path: `.` separates properties and `*` stands for one step
 * (an item of the `steps` list or a value of the `steps` map). The schema's descriptions and the CLI README's
 * reference are both generated from this table, and a test checks that its keys are exactly the schema's fields.
 */
export const FIELD_DOCS: Readonly<Record<string, FieldDoc>> = {
  $schema: {
    meaning:
      'Where editors find this schema, for JSON files (YAML files use the `# yaml-language-server: $schema=…` comment); ignored by Baton.',
  },
  apiVersion: { meaning: 'Free-form format tag (e.g. `baton/v1`); not checked.' },
  kind: { meaning: 'Document kind; only `Workflow` is accepted.' },
  metadata: { meaning: "The workflow's identity, recorded in every run's checkpoint." },
  'metadata.name': { meaning: 'Workflow name, shown by `runs list` and used to group runs.' },
  'metadata.version': {
    meaning: 'Workflow version; bump it when behaviour changes (the hash does not cover function bodies).',
  },
  'metadata.description': { meaning: 'Free text for docs and displays.' },
  'metadata.tags': { meaning: 'Free-form labels.' },
  spec: { meaning: 'Settings of the whole run.' },
  'spec.entrypoint': {
    meaning:
      'A step every other root is expected to be reachable from; other roots produce an `unreachable_step` warning.',
  },
  'spec.timeout': {
    meaning: 'Run deadline, with its unit (`30s`, `5m`); `baton run --timeout` overrides it. Must be longer than 0.',
    default: 'none',
  },
  'spec.retryPolicy': { meaning: "Default retry policy of every step, merged over the supervisor's defaults." },
  'spec.concurrency': { meaning: 'Most steps of one run executing at once.', default: '64' },
  steps: {
    meaning: 'The steps: a list (each item has an `id`) or a map from step id to step. At least one.',
  },
  'steps.*': { meaning: 'One step.' },
  'steps.*.id': { meaning: 'Step id; required in the list form, ignored in the map form (the key is the id).' },
  'steps.*.uses': { meaning: 'Registry key (in `baton.config`) of the Agent or function that runs the step.' },
  'steps.*.needs': {
    meaning:
      "Ids of steps that must finish first. The step's input is the run input without `needs`, the dependency's output with one, an object keyed by dependency id with several.",
    default: '`[]`',
  },
  'steps.*.when': {
    meaning:
      'Run the step only when this path (e.g. `outputs.check.ok`) is truthy, or when the object form holds; otherwise the step is `skipped`. An `outputs.<step>` path must name a step upstream.',
    default: 'always run',
  },
  'steps.*.when.path': { meaning: 'Path into `{ input, outputs }` to test, starting with `input` or `outputs`.' },
  'steps.*.when.equals': { meaning: 'Run when the value equals this (deep equality).' },
  'steps.*.when.notEquals': { meaning: 'Run when the value does not equal this (deep equality).' },
  'steps.*.when.exists': { meaning: '`true`: run when the value is defined; `false`: run when it is undefined.' },
  'steps.*.input': {
    meaning: "Replaces the step's default input: `{ path }` reads a value, `{ value }` is a constant.",
    default: 'see `needs`',
  },
  'steps.*.input.path': { meaning: 'Path into `{ input, outputs }` whose value becomes the input.' },
  'steps.*.input.value': { meaning: 'A constant input (any JSON value).' },
  'steps.*.retry': { meaning: "The step's retry policy, merged over `spec.retryPolicy` and the defaults." },
  'steps.*.timeout': {
    meaning: 'Per-attempt timeout, with its unit (`500ms`, `30s`); a bare number is refused with a hint.',
    default: 'none',
  },
  'steps.*.timeoutMs': { meaning: 'Per-attempt timeout in milliseconds; wins over `timeout` when both are set.' },
  'steps.*.breaker': {
    meaning: '`false` disables the circuit breaker; an object tunes it. Agent steps get one keyed by agent id.',
    default: 'a breaker keyed by agent id',
  },
  'steps.*.breaker.key': { meaning: 'Breaker key; steps naming the same key share one breaker.', default: 'agent id' },
  'steps.*.breaker.consecutiveFailures': {
    meaning: 'Open after this many consecutive counted failures.',
    default: '5',
  },
  'steps.*.breaker.failureRatio': {
    meaning: 'Also open when the failure ratio in the window reaches this (0 < r ≤ 1).',
    default: 'off',
  },
  'steps.*.breaker.windowSize': { meaning: 'Sliding window length for `failureRatio`, in calls.', default: '20' },
  'steps.*.breaker.minimumVolume': {
    meaning: 'Calls in the window before `failureRatio` applies.',
    default: '10',
  },
  'steps.*.breaker.halfOpenAfterMs': { meaning: 'Time open before probes are allowed, in ms.', default: '30000' },
  'steps.*.breaker.halfOpenMaxProbes': { meaning: 'Probes allowed at once while half-open.', default: '1' },
  'steps.*.breaker.successesToClose': { meaning: 'Successful probes needed to close again.', default: '1' },
  'steps.*.fallback': {
    meaning:
      "Registry keys of Agents to call instead, in order, while the primary's breaker refuses (functions are refused).",
    default: '`[]`',
  },
  'steps.*.description': { meaning: 'Free text for docs and displays.' },
  ...retryFields('spec.retryPolicy'),
  ...retryFields('steps.*.retry'),
};

function retryFields(prefix: string): Record<string, FieldDoc> {
  return {
    [`${prefix}.maxAttempts`]: { meaning: 'Total attempts including the first.', default: '3' },
    [`${prefix}.initialDelayMs`]: { meaning: 'Wait before the first retry, in ms.', default: '200' },
    [`${prefix}.backoffFactor`]: { meaning: 'Multiplier of the wait per retry (≥ 1).', default: '2' },
    [`${prefix}.maxDelayMs`]: {
      meaning: 'Upper bound of any wait, in ms, applied after jitter too.',
      default: '30000',
    },
    [`${prefix}.jitter`]: {
      meaning: '`full`: uniform in [0, d]; `equal`: uniform in [d/2, d]; `none`: exactly d.',
      default: '`full`',
    },
    [`${prefix}.maxRetryAfterMs`]: {
      meaning:
        'Longest wait a rate limit (Retry-After) may ask for, in ms; a longer one fails the step (`rate_limited`).',
      default: '300000',
    },
    [`${prefix}.maxElapsedMs`]: {
      meaning: "No retry starts after this much time since the step's first attempt, in ms.",
      default: 'no limit',
    },
  };
}
