import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { DASHBOARD_STATUSES } from '../src/types.js';
import { getJson, onRunsChanged, type RunsPage, type Status } from './api.js';
import { duration, when } from './format.js';
import { navigate } from './router.js';

const STATUSES = DASHBOARD_STATUSES;
const PAGE = 50;

/** The runs list: status filters with counts, search by run id or workflow name, paging; live. */
export function RunsList({ query }: { query: URLSearchParams }) {
  const statuses = (query.get('status') ?? '').split(',').filter(Boolean) as Status[];
  const search = query.get('q') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [page, setPage] = useState<RunsPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [typed, setTyped] = useState(search);
  const key = `${statuses.join(',')}|${search}|${offset}`;

  const load = useCallback(() => {
    const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    if (statuses.length > 0) params.set('status', statuses.join(','));
    if (search) params.set('q', search);
    getJson<RunsPage>(`/api/runs?${params}`).then(
      (loaded) => {
        setPage(loaded);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [key]);

  useEffect(load, [load]);
  // Changes arrive in bursts (a run appends a record per step): reload at most every 250 ms.
  const timer = useRef<number | undefined>(undefined);
  useEffect(
    () =>
      onRunsChanged(() => {
        if (timer.current !== undefined) return;
        timer.current = window.setTimeout(() => {
          timer.current = undefined;
          load();
        }, 250);
      }),
    [load],
  );
  useEffect(() => {
    const handle = window.setTimeout(() => {
      if (typed !== search) go({ q: typed, offset: 0 });
    }, 200);
    return () => clearTimeout(handle);
  }, [typed]);

  function go(change: { status?: Status[]; q?: string; offset?: number }) {
    const next = new URLSearchParams();
    const nextStatuses = change.status ?? statuses;
    const nextSearch = change.q ?? search;
    const nextOffset = change.offset ?? offset;
    if (nextStatuses.length > 0) next.set('status', nextStatuses.join(','));
    if (nextSearch) next.set('q', nextSearch);
    if (nextOffset > 0) next.set('offset', String(nextOffset));
    const text = next.toString();
    navigate(text ? `/?${text}` : '/');
  }

  function toggle(status: Status) {
    const next = statuses.includes(status) ? statuses.filter((each) => each !== status) : [...statuses, status];
    go({ status: next, offset: 0 });
  }

  return (
    <section class="runs">
      <div class="toolbar">
        <input
          type="search"
          placeholder="Search run id or workflow"
          aria-label="Search runs"
          data-testid="search"
          value={typed}
          onInput={(event) => setTyped((event.target as HTMLInputElement).value)}
        />
        <fieldset class="filters" aria-label="Status filters">
          {STATUSES.map((status) => (
            <button
              type="button"
              key={status}
              class={`chip status-${status}${statuses.includes(status) ? ' on' : ''}`}
              aria-pressed={statuses.includes(status)}
              data-testid={`filter-${status}`}
              onClick={() => toggle(status)}
            >
              {status.replace('_', ' ')} <span class="count">{page?.counts[status] ?? 0}</span>
            </button>
          ))}
        </fieldset>
      </div>
      {error ? <p class="error">{error}</p> : null}
      <table class="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Workflow</th>
            <th>Status</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Records</th>
          </tr>
        </thead>
        <tbody>
          {page?.runs.map((run) => (
            <tr key={run.runId} data-testid="run-row" data-run-id={run.runId} data-status={run.status}>
              <td>
                <a
                  href={`/runs/${encodeURIComponent(run.runId)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/runs/${encodeURIComponent(run.runId)}`);
                  }}
                >
                  {run.runId}
                </a>
              </td>
              <td>
                {run.workflow.name}
                <span class="muted">@{run.workflow.version}</span>
              </td>
              <td>
                <span class={`badge status-${run.status}`} title={run.note}>
                  {run.status.replace('_', ' ')}
                </span>
              </td>
              <td>{when(run.startedAt)}</td>
              <td>{duration(run.updatedAt - run.startedAt)}</td>
              <td>{run.records}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.total === 0 ? <p class="muted">No runs match.</p> : null}
      {page ? (
        <div class="pager">
          <button type="button" disabled={offset === 0} onClick={() => go({ offset: Math.max(0, offset - PAGE) })}>
            Previous
          </button>
          <span data-testid="page-info">
            {page.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, page.total)} of {page.total}
          </span>
          <button
            type="button"
            data-testid="next-page"
            disabled={offset + PAGE >= page.total}
            onClick={() => go({ offset: offset + PAGE })}
          >
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}
