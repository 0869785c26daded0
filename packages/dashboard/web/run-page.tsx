import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  getJson,
  onRunsChanged,
  postAction,
  type RunView,
  type ShownError,
  type StepView,
  type ValuePreview,
} from './api.js';
import { Dag } from './dag.js';
import { duration, when } from './format.js';
import { Timeline } from './timeline.js';

/** A run: header with chain state and actions, the DAG, the timeline, errors, and the step drawer. */
export function RunPage({ runId }: { runId: string }) {
  const [view, setView] = useState<RunView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const load = useCallback(() => {
    getJson<RunView>(`/api/runs/${encodeURIComponent(runId)}`).then(
      (loaded) => {
        setView(loaded);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [runId]);
  useEffect(load, [load]);
  useEffect(() => onRunsChanged((ids) => ids.includes(runId) && load()), [load, runId]);

  if (error) return <p class="error">{error}</p>;
  if (!view) return <p class="muted">Loading…</p>;
  const step = view.steps.find((each) => each.id === selected);
  const act = (action: 'resume' | 'cancel') => {
    setActionError(undefined);
    postAction(`/api/runs/${encodeURIComponent(runId)}/${action}`).then(load, (failure: Error) =>
      setActionError(failure.message),
    );
  };
  const failures = view.steps.flatMap((each) =>
    each.executions.filter((execution) => execution.error).map((execution) => ({ step: each.id, execution })),
  );
  return (
    <section class="run" data-testid="run-page">
      <div class="run-header">
        <h1 data-testid="run-id">{view.runId}</h1>
        <span class={`badge status-${view.status}`} data-testid="run-status" title={view.note}>
          {view.status.replace('_', ' ')}
        </span>
        <Chain chain={view.chain} />
        <div class="actions">
          {view.actions.resume.ok ? (
            <button type="button" data-testid="resume" onClick={() => act('resume')}>
              Resume
            </button>
          ) : (
            <span class="muted" data-testid="resume-unavailable" title={view.actions.resume.reason}>
              resume: {view.actions.resume.reason}
            </span>
          )}
          {view.actions.cancel ? (
            <button type="button" data-testid="cancel" class="danger" onClick={() => act('cancel')}>
              Cancel
            </button>
          ) : null}
        </div>
      </div>
      {actionError ? (
        <p class="error" data-testid="action-error">
          {actionError}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Workflow</dt>
        <dd>
          {view.workflow.name}@{view.workflow.version} <span class="muted">{view.workflow.hash.slice(0, 12)}</span>
        </dd>
        <dt>Started</dt>
        <dd>
          {when(view.startedAt)}{' '}
          <span class="muted">
            updated {when(view.updatedAt)}, {view.records} records
          </span>
        </dd>
        {view.note ? (
          <>
            <dt>Note</dt>
            <dd>{view.note}</dd>
          </>
        ) : null}
        <dt>Definition</dt>
        <dd>{view.graph.source ?? view.graph.note ?? ''}</dd>
        <dt>Input</dt>
        <dd>
          <Value value={view.input} runId={runId} seq={0} field="input" />
        </dd>
      </dl>
      {view.error ? <ErrorBox error={view.error} label="Run error" /> : null}
      <h2>Steps</h2>
      <div class="dag-wrap">
        <Dag steps={view.steps} selected={selected} onSelect={setSelected} />
      </div>
      <h2>Timeline</h2>
      <Timeline items={view.timeline} />
      {failures.length > 0 ? (
        <>
          <h2>Errors</h2>
          <ul class="errors" data-testid="errors">
            {failures.map(({ step: id, execution }) => (
              <li key={execution.seq}>
                <button type="button" class="link" onClick={() => setSelected(id)}>
                  {id}
                </button>{' '}
                <ErrorLine error={execution.error!} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {step ? <Drawer step={step} steps={view.steps} runId={runId} onClose={() => setSelected(undefined)} /> : null}
    </section>
  );
}

function Chain({ chain }: { chain: RunView['chain'] }) {
  if ('unavailable' in chain)
    return (
      <span class="chain muted" data-testid="chain">
        chain: {chain.unavailable}
      </span>
    );
  return chain.ok ? (
    <span class="chain ok" data-testid="chain" title={`${chain.records} records, SHA-256 chain intact`}>
      chain verified
    </span>
  ) : (
    <span class="chain bad" data-testid="chain">
      chain CORRUPTED: {chain.error?.message}
    </span>
  );
}

function ErrorLine({ error }: { error: ShownError }) {
  return (
    <span class="error-line">
      <strong>{error.name}</strong>: {error.message.split('\n')[0]}
      {error.code ? <code> {error.code}</code> : null}
      {error.classification ? (
        <span class="badge kind" title={error.classificationDerived ? 'derived now from the stored error' : 'recorded'}>
          {error.classification}
          {error.classificationDerived ? '*' : ''}
        </span>
      ) : null}
      {error.breakerRefused ? <span class="badge breaker">breaker refused</span> : null}
    </span>
  );
}

function ErrorBox({ error, label }: { error: ShownError; label: string }) {
  return (
    <div class="error-box" data-testid="error-box">
      <div>{label}</div>
      <ErrorLine error={error} />
      {error.message.includes('\n') ? <pre>{error.message}</pre> : null}
    </div>
  );
}

/** A value's JSON as text; "Show all" fetches the full record when the preview was cut. */
function Value({ value, runId, seq, field }: { value: ValuePreview; runId: string; seq: number; field: string }) {
  const [full, setFull] = useState<string | undefined>();
  return (
    <div class="value">
      <pre data-testid={`value-${field}`}>{full ?? value.text}</pre>
      {value.truncated && full === undefined ? (
        <button
          type="button"
          class="link"
          data-testid="show-all"
          onClick={() =>
            getJson<Record<string, unknown>>(`/api/runs/${encodeURIComponent(runId)}/records?seq=${seq}`).then(
              (record) => setFull(JSON.stringify(record[field], null, 2)),
            )
          }
        >
          Show all ({value.size.toLocaleString()} characters)
        </button>
      ) : null}
    </div>
  );
}

function Drawer({
  step,
  steps,
  runId,
  onClose,
}: {
  step: StepView;
  steps: StepView[];
  runId: string;
  onClose: () => void;
}) {
  const upstream = step.needs
    .map((need) => steps.find((each) => each.id === need))
    .filter((each): each is StepView => each !== undefined);
  return (
    <aside class="drawer" data-testid="drawer" aria-label={`Step ${step.id}`}>
      <div class="drawer-head">
        <h2>{step.id}</h2>
        <span class={`badge status-${step.status}`}>{step.status}</span>
        <button type="button" class="close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p class="muted">
        needs: {step.needs.length > 0 ? step.needs.join(', ') : 'nothing (gets the run input)'}
        {step.fallbacks.length > 0 ? ` · fallbacks: ${step.fallbacks.join(', ')}` : ''}
      </p>
      <h3>Input</h3>
      {upstream.length === 0 ? (
        <p class="muted">The run input (above).</p>
      ) : (
        upstream.map((each) => {
          const output = each.executions.at(-1)?.output;
          return (
            <div key={each.id}>
              <div class="muted">output of {each.id}</div>
              {output ? (
                <Value value={output} runId={runId} seq={each.executions.at(-1)!.seq} field="output" />
              ) : (
                <p class="muted">none</p>
              )}
            </div>
          );
        })
      )}
      {step.executions.length === 0 ? <p class="muted">Not run yet.</p> : null}
      {step.executions.map((execution) => (
        <div class="execution" key={execution.seq} data-testid="execution">
          <h3>
            {execution.status} after {execution.attempts} attempt{execution.attempts === 1 ? '' : 's'},{' '}
            {duration(execution.durationMs)}
          </h3>
          <p class="muted">
            {when(execution.startedAt)} → {when(execution.endedAt)} (record {execution.seq})
          </p>
          {execution.output ? (
            <>
              <h4>Output</h4>
              <Value value={execution.output} runId={runId} seq={execution.seq} field="output" />
            </>
          ) : null}
          {execution.error ? (
            <>
              <h4>Error</h4>
              <ErrorBox error={execution.error} label="" />
            </>
          ) : null}
          {execution.meta ? (
            <>
              <h4>Plugin data</h4>
              <Value value={execution.meta} runId={runId} seq={execution.seq} field="meta" />
            </>
          ) : null}
        </div>
      ))}
    </aside>
  );
}
