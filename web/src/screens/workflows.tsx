/** Workflows: the processes OpsLoop runs, their versions and steps, and which steps can graduate to auto. */
import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { GraduationStep, WorkflowDetail, WorkflowSummary } from '../types.ts';
import { Button, Card, Empty, ErrorNote, JsonBlock, Link, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';

function suggestionText(step: GraduationStep): string {
  const s = step.suggestion;
  if (s === null) return '';
  const to = s.to ?? s.tier ?? 'auto';
  const why = s.reason ?? s.message ?? `${step.approvedUnchanged} approvals in a row without changes`;
  return `Move to ${to}: ${why}`;
}

export function WorkflowsScreen(): ReactNode {
  useTitle('Workflows');
  const me = useMe();
  const list = useResource((signal) => api<{ workflows: WorkflowSummary[] }>('/api/workflows', { signal }), []);
  const grad = useResource((signal) => api<{ steps: GraduationStep[] }>('/api/graduation', { signal }), []);
  const suggestions = (grad.data?.steps ?? []).filter((s) => s.suggestion !== null);
  return (
    <div>
      <PageHeader title="Workflows" subtitle="The processes OpsLoop runs for you." />
      {suggestions.length === 0 ? null : (
        <Card title="Ready to do more on its own">
          <p className="muted">These steps were approved unchanged again and again. Let OpsLoop do them without asking (it still spot-checks and moves them back if a result is corrected).</p>
          <Suggestions steps={suggestions} mayAccept={can(me.user, 'admin')} onDone={grad.reload} />
        </Card>
      )}
      <ErrorNote error={list.error} onRetry={list.reload} title="The workflows could not be loaded" />
      {list.data === undefined && list.error === null ? <Loading /> : null}
      {list.data !== undefined && list.data.workflows.length === 0 ? (
        <Empty title="No workflows yet">
          <p>
            A workflow is a process written down: a trigger, the steps, who approves. Add one with <code>opsloop</code> or POST it to <code>/api/workflows</code> as YAML or JSON; shipped playbooks such as invoice-to-cash appear here once installed.
          </p>
        </Empty>
      ) : null}
      <div className="card-list">
        {list.data?.workflows.map((w) => (
          <Link key={w.id} to={`/workflows/${w.id}`} className="card card-link">
            <div className="card-head">
              <h2>{w.name}</h2>
              <StatusBadge status={w.enabled ? 'completed' : 'cancelled'} label={w.enabled ? 'Enabled' : 'Disabled'} />
            </div>
            <p className="muted">{w.description ?? 'No description.'}</p>
            <p className="small muted">
              Version {w.currentVersion} · updated {formatDateTime(w.updatedAt)}
            </p>
          </Link>
        ))}
      </div>
    </div>
  );
}

function Suggestions(props: { steps: GraduationStep[]; mayAccept: boolean; onDone: () => void }): ReactNode {
  const act = useAction();
  return (
    <>
      <ul className="plain-list">
        {props.steps.map((s) => (
          <li key={`${s.workflowId}/${s.stepId}`}>
            <span>
              <strong>{humanize(s.workflowId)}</strong> › {s.stepId}: {suggestionText(s)}
            </span>
            {props.mayAccept ? (
              <span className="row-actions">
                <Button
                  variant="primary"
                  busy={act.busy}
                  onClick={() =>
                    void act.run(async () => {
                      await api(`/api/graduation/${encodeURIComponent(s.workflowId)}/${encodeURIComponent(s.stepId)}/accept`, { method: 'POST' });
                      props.onDone();
                    })
                  }
                >
                  Accept
                </Button>
                <Button
                  variant="ghost"
                  onClick={() =>
                    void act.run(async () => {
                      await api(`/api/graduation/${encodeURIComponent(s.workflowId)}/${encodeURIComponent(s.stepId)}/decline`, { method: 'POST' });
                      props.onDone();
                    })
                  }
                >
                  Not now
                </Button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorNote error={act.error} />
    </>
  );
}

export function WorkflowScreen(props: { id: string }): ReactNode {
  useTitle(humanize(props.id));
  const me = useMe();
  const wf = useResource((signal) => api<WorkflowDetail>(`/api/workflows/${encodeURIComponent(props.id)}`, { signal }), [props.id]);
  const grad = useResource((signal) => api<{ steps: GraduationStep[] }>('/api/graduation', { signal }), []);
  const w = wf.data;
  const stats = new Map((grad.data?.steps ?? []).filter((s) => s.workflowId === props.id).map((s) => [s.stepId, s]));
  const suggestions = [...stats.values()].filter((s) => s.suggestion !== null);
  return (
    <div>
      <PageHeader back={{ to: '/workflows', label: 'Workflows' }} title={w?.name ?? humanize(props.id)} subtitle={w?.description ?? undefined} actions={<Link to={`/runs?workflow=${encodeURIComponent(props.id)}`}>See its runs</Link>} />
      <ErrorNote error={wf.error} onRetry={wf.reload} title="The workflow could not be loaded" />
      {w === undefined && wf.error === null ? <Loading /> : null}
      {suggestions.length === 0 ? null : (
        <Notice tone="good">
          <Suggestions steps={suggestions} mayAccept={can(me.user, 'admin')} onDone={grad.reload} />
        </Notice>
      )}
      {w === undefined ? null : (
        <>
          <Card title="Steps">
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Steps of {w.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Does</th>
                    <th scope="col">Autonomy tier</th>
                    <th scope="col">Policies</th>
                    <th scope="col" className="num">
                      Approved as is
                    </th>
                    <th scope="col" className="num">
                      Edited
                    </th>
                    <th scope="col" className="num">
                      Rejected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {w.definition.steps.map((step) => {
                    const s = stats.get(step.id);
                    const tier = s?.tier ?? step.tier ?? (step.type === 'approval' ? 'human' : step.proposing === true || step.type === 'ai' ? 'auto' : null);
                    return (
                      <tr key={step.id}>
                        <td>
                          <strong>{step.id}</strong>
                        </td>
                        <td>
                          {humanize(step.type)}
                          {step.action === undefined ? '' : `: ${step.action}`}
                          {step.skill === undefined ? '' : `: ${step.skill}`}
                        </td>
                        <td>{tier === null ? <span className="muted">—</span> : <span className={`tier tier-${tier}`}>{tier}</span>}</td>
                        <td>{step.policies?.join(', ') ?? '—'}</td>
                        <td className="num">{s?.approvedUnchanged ?? '—'}</td>
                        <td className="num">{s?.edited ?? '—'}</td>
                        <td className="num">{s?.rejected ?? '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p className="muted small">Tiers: auto acts and is spot-checked later; review prepares and a person approves with one click; human means a person leads.</p>
          </Card>
          <div className="grid-2">
            <Card title="Versions">
              <ul className="plain-list">
                {[...w.versions].reverse().map((v) => (
                  <li key={v.version}>
                    <strong>v{v.version}</strong>
                    {v.version === w.currentVersion ? <StatusBadge status="completed" label="Current" /> : null}
                    <span className="muted small">{formatDateTime(v.createdAt)}</span>
                    <span className="mono muted small">{v.hash.slice(0, 10)}</span>
                  </li>
                ))}
              </ul>
              <p className="muted small">A run keeps the version it started with; editing the workflow makes a new version.</p>
            </Card>
            <Card title="Triggers">
              <ul className="plain-list">
                {(w.definition.triggers ?? [{ type: 'manual' }]).map((t, i) => (
                  <li key={i}>{humanize(t.type)}</li>
                ))}
              </ul>
            </Card>
          </div>
          <details className="nested">
            <summary>Definition</summary>
            <JsonBlock value={w.definition} label="Workflow definition" />
          </details>
        </>
      )}
    </div>
  );
}
