/** Runs: every workflow run, filterable; a run's timeline step by step, with retry and cancel. */
import { useCallback, useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { actorName, formatDateTime, formatDuration, formatPercent, humanize, shortId, timeAgo } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useLiveChanges, type RunEvent } from '../live.ts';
import { useMe } from '../me.ts';
import { navigate, useLocation, useTitle } from '../router.ts';
import { can } from '../session.ts';
import { runStatuses, type Reason, type Run, type Step, type WorkflowSummary } from '../types.ts';
import { Button, Card, Empty, ErrorNote, Facts, JsonBlock, Link, Loading, PageHeader, StatusBadge } from '../ui.tsx';

export function RunsScreen(): ReactNode {
  useTitle('Runs');
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const workflow = query.get('workflow') ?? '';
  const [pages, setPages] = useState<Run[][]>([]);
  const [next, setNext] = useState<string | null>(null);
  const workflows = useResource((signal) => api<{ workflows: WorkflowSummary[] }>('/api/workflows', { signal }), []);
  const runs = useResource(
    async (signal) => {
      const params = new URLSearchParams({ limit: '50' });
      if (status !== '') params.set('status', status);
      if (workflow !== '') params.set('workflow', workflow);
      const page = await api<{ runs: Run[]; next: string | null }>(`/api/runs?${params.toString()}`, { signal });
      setPages([]);
      setNext(page.next);
      return page.runs;
    },
    [status, workflow],
  );
  useLiveChanges(useCallback((what: 'inbox' | 'run') => what === 'run' && runs.reload(), [runs.reload]));
  const more = useAction();

  const setFilter = (key: string, value: string): void => {
    const params = new URLSearchParams(query);
    if (value === '') params.delete(key);
    else params.set(key, value);
    const qs = params.toString();
    navigate(`/runs${qs === '' ? '' : `?${qs}`}`, { replace: true });
  };
  const all = [...(runs.data ?? []), ...pages.flat()];

  return (
    <div>
      <PageHeader title="Runs" subtitle="Every time a workflow ran, and where each one is now." />
      <div className="filters" role="search" aria-label="Filter runs">
        <div className="field inline">
          <label htmlFor="run-status">Status</label>
          <select id="run-status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">All</option>
            {runStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="run-workflow">Workflow</label>
          <select id="run-workflow" value={workflow} onChange={(e) => setFilter('workflow', e.target.value)}>
            <option value="">All</option>
            {workflows.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={runs.error} onRetry={runs.reload} title="The runs could not be loaded" />
      {runs.data === undefined && runs.error === null ? <Loading /> : null}
      {runs.data !== undefined && all.length === 0 ? (
        <Empty title={status === '' && workflow === '' ? 'No runs yet' : 'No runs match these filters'}>
          {status === '' && workflow === '' ? (
            <p>
              A run starts when a workflow is triggered: by a webhook, a schedule, an email, or by you. <Link to="/documents/new">Create an invoice from one sentence</Link> to start one.
            </p>
          ) : (
            <p>Choose “All” to see every run.</p>
          )}
        </Empty>
      ) : null}
      {all.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Where</th>
                <th scope="col">Started</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {all.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link to={`/runs/${run.id}`}>
                      <span className="mono">{shortId(run.id)}</span>
                    </Link>
                  </td>
                  <td>{humanize(run.workflowId)}</td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td className="muted">{whereIs(run)}</td>
                  <td>{formatDateTime(run.createdAt)}</td>
                  <td className="muted">{timeAgo(run.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next === null ? null : (
        <Button
          busy={more.busy}
          onClick={() =>
            void more.run(async () => {
              const params = new URLSearchParams({ limit: '50', before: next });
              if (status !== '') params.set('status', status);
              if (workflow !== '') params.set('workflow', workflow);
              const page = await api<{ runs: Run[]; next: string | null }>(`/api/runs?${params.toString()}`);
              setPages((p) => [...p, page.runs]);
              setNext(page.next);
            })
          }
        >
          Show older runs
        </Button>
      )}
      <ErrorNote error={more.error} />
    </div>
  );
}

function whereIs(run: Run): string {
  if (run.status === 'waiting' && run.waitingFor !== null) return run.waitingFor.name === 'approval' ? `waits for approval at ${run.cursor ?? 'a step'}` : `waits for ${humanize(run.waitingFor.name).toLowerCase()}`;
  if (run.status === 'completed' || run.status === 'cancelled') return `${run.stepsDone} steps`;
  return run.cursor === null ? '' : `at ${run.cursor}`;
}

interface Gate {
  decision?: string;
  tier?: string;
  reasons?: Reason[];
}

function actorOf(step: Step): { label: string; tone: string } {
  if (step.actor === 'ai') return { label: 'AI', tone: 'ai' };
  if (step.actor === 'system') return { label: 'System', tone: 'system' };
  return { label: `Person: ${actorName(step.actor.replace(/^person:/, 'user:'))}`, tone: 'person' };
}

function confidenceOf(step: Step): number | null {
  const meta = (step.meta ?? {}) as Record<string, unknown>;
  const output = (step.output ?? {}) as Record<string, unknown>;
  const c = meta.confidence ?? output.confidence;
  return typeof c === 'number' ? c : null;
}

export function RunScreen(props: { id: string }): ReactNode {
  useTitle(`Run ${shortId(props.id)}`);
  const me = useMe();
  const run = useResource((signal) => api<{ run: Run }>(`/api/runs/${props.id}`, { signal }).then((r) => r.run), [props.id]);
  useLiveChanges(useCallback((what: 'inbox' | 'run', event?: RunEvent) => (what === 'inbox' || event?.id === props.id) && run.reload(), [props.id, run.reload]));
  const act = useAction();
  const r = run.data;
  const admin = can(me.user, 'admin');
  const active = r !== undefined && (r.status === 'queued' || r.status === 'running' || r.status === 'waiting' || r.status === 'exception');

  return (
    <div>
      <PageHeader
        back={{ to: '/runs', label: 'Runs' }}
        title={r === undefined ? 'Run' : `${humanize(r.workflowId)} run`}
        subtitle={r === undefined ? null : <span className="mono">{r.id}</span>}
        actions={
          r === undefined || !admin ? undefined : (
            <>
              {r.status === 'exception' ? (
                <Button variant="primary" busy={act.busy} onClick={() =>
                    void act.run(async () => {
                      await api(`/api/runs/${r.id}/retry`, { method: 'POST' });
                      run.reload();
                    })
                  }
                >
                  Retry
                </Button>
              ) : null}
              {active ? (
                <Button
                  variant="danger"
                  busy={act.busy}
                  onClick={() =>
                    void act.run(async () => {
                      if (!window.confirm('Cancel this run? Steps already done stay done; nothing more happens.')) return;
                      await api(`/api/runs/${r.id}/cancel`, { method: 'POST', body: { reason: `cancelled by ${me.user.email} in the web app` } });
                      run.reload();
                    })
                  }
                >
                  Cancel run
                </Button>
              ) : null}
            </>
          )
        }
      />
      <ErrorNote error={run.error} onRetry={run.reload} title="The run could not be loaded" />
      <ErrorNote error={act.error} />
      {r === undefined && run.error === null ? <Loading /> : null}
      {r === undefined ? null : (
        <>
          <Card>
            <Facts
              items={[
                ['Status', <StatusBadge key="s" status={r.status} />],
                ['Where', whereIs(r) || '—'],
                ['Workflow', <Link key="w" to={`/workflows/${r.workflowId}`}>{`${humanize(r.workflowId)} v${r.version}`}</Link>],
                ['Started', formatDateTime(r.createdAt)],
                ['Ended', formatDateTime(r.endedAt)],
                ['Trigger', triggerText(r.trigger)],
              ]}
            />
            {r.status === 'waiting' && r.waitingFor?.name === 'approval' ? (
              <p>
                This run waits for a person. <Link to="/inbox">Decide in the Inbox</Link>.
              </p>
            ) : null}
            {r.error === null ? null : (
              <div className="error-note">
                <strong>Why it stopped</strong>
                <JsonBlock value={r.error} label="Run error" />
              </div>
            )}
          </Card>
          <h2 className="section-title">Timeline</h2>
          <ol className="timeline" aria-label="Steps">
            {(r.steps ?? []).map((step) => (
              <TimelineStep key={`${step.seq}-${step.attempt}`} step={step} />
            ))}
            {(r.steps ?? []).length === 0 ? <li className="muted">No step has run yet.</li> : null}
          </ol>
          <div className="grid-2">
            <Card title="Input">
              <JsonBlock value={r.input} label="Run input" />
            </Card>
            <Card title="Output">
              <JsonBlock value={r.output} label="Run output" />
            </Card>
          </div>
        </>
      )}
    </div>
  );
}

function triggerText(trigger: unknown): string {
  if (typeof trigger !== 'object' || trigger === null) return '—';
  const t = trigger as Record<string, unknown>;
  return [typeof t.type === 'string' ? humanize(t.type) : null, typeof t.by === 'string' ? `by ${t.by}` : null].filter(Boolean).join(' ');
}

function TimelineStep(props: { step: Step }): ReactNode {
  const { step } = props;
  const actor = actorOf(step);
  const gate = ((step.meta ?? {}) as { gate?: Gate }).gate;
  const confidence = confidenceOf(step);
  return (
    <li className={`timeline-step status-${step.status}`}>
      <span className="timeline-dot" aria-hidden="true" />
      <div className="timeline-body">
        <div className="timeline-head">
          <strong>{step.stepId}</strong>
          <span className="muted">{humanize(step.type)}</span>
          <StatusBadge status={step.status} />
          <span className={`actor actor-${actor.tone}`}>{actor.label}</span>
          {step.attempt > 1 ? <span className="badge tone-wait">Attempt {step.attempt}</span> : null}
        </div>
        <div className="timeline-meta muted small">
          {formatDateTime(step.startedAt)} · {step.durationMs === null ? 'not finished' : formatDuration(step.durationMs)}
          {confidence === null ? '' : ` · confidence ${formatPercent(confidence)}`}
        </div>
        {gate === undefined ? null : (
          <div className="verdict">
            Policy verdict: <strong>{humanize(gate.decision ?? 'continue')}</strong>
            {gate.tier === undefined ? '' : ` (tier ${gate.tier})`}
            {gate.reasons !== undefined && gate.reasons.length > 0 ? <span> — {gate.reasons.map((x) => x.message).join('; ')}</span> : null}
          </div>
        )}
        {step.error === null ? null : (
          <div className="error-note">
            <JsonBlock value={step.error} label="Step error" />
          </div>
        )}
        <details className="nested">
          <summary>Data in and out</summary>
          <div className="grid-2">
            <div>
              <h4>In</h4>
              <JsonBlock value={step.input} label="Step input" />
            </div>
            <div>
              <h4>Out</h4>
              <JsonBlock value={step.output} label="Step output" />
            </div>
          </div>
        </details>
      </div>
    </li>
  );
}
