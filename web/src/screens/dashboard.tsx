/** The Dashboard: what OpsLoop did over a period — runs, automation, hours saved, money owed, AI cost. */
import { useState, type ReactNode } from 'react';
import { api, isMissingRoute } from '../api.ts';
import { DayBars, HBars, Ring } from '../charts.tsx';
import { formatMoney, formatPercent, humanize, isoDay, timeAgo } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { Dashboard, Run, RunsPerDay, WorkflowSummary } from '../types.ts';
import { Button, Card, Empty, ErrorNote, Link, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';

const periods = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(isoDay(new Date(t)));
  return out;
}

/** Without /api/dashboard on the server: runs per day from the most recent runs, the rest unknown. */
async function estimate(from: string, to: string, signal: AbortSignal): Promise<Dashboard> {
  const { runs } = await api<{ runs: Run[] }>('/api/runs?limit=500', { signal });
  const perDay = new Map<string, RunsPerDay>(daysBetween(from, to).map((day) => [day, { day, started: 0, completed: 0, failed: 0 }]));
  for (const run of runs) {
    const started = perDay.get((run.createdAt ?? '').slice(0, 10));
    if (started !== undefined) started.started++;
    const ended = perDay.get((run.endedAt ?? run.updatedAt ?? '').slice(0, 10));
    if (ended !== undefined && run.status === 'completed') ended.completed++;
    if (ended !== undefined && run.status === 'exception') ended.failed++;
  }
  return { runsPerDay: [...perDay.values()], automationRate: null, escalationRate: null, reworkRate: null, hoursSaved: { total: 0, byWorkflow: [] }, receivables: null, aiCost: null, estimated: true };
}

interface Receivable {
  currency: string;
  buckets: { label: string; amount: number }[];
  dso: number | null;
  outstanding: number | null;
}

const bucketLabels: Record<string, string> = { current: 'Not yet due', '1-30': '1–30 days late', '31-60': '31–60 days late', '61-90': '61–90 days late', '90+': 'Over 90 days late' };
function bucketLabel(label: string): string {
  return bucketLabels[label] ?? humanize(label);
}

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value) || 0;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    return num(v.amount ?? v.total ?? v.value ?? v.outstanding ?? 0);
  }
  return 0;
}

function bucketsOf(value: unknown): { label: string; amount: number }[] {
  if (Array.isArray(value))
    return value.map((b: Record<string, unknown>) => ({ label: String(b.label ?? b.bucket ?? b.name ?? b.range ?? ''), amount: num(b.amount ?? b.total ?? b.value ?? b.outstanding) }));
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([label, v]) => ({ label, amount: num(v) }));
  return [];
}

/** Receivables come per currency; accept an array, a map by currency, or one currency's figures. */
export function receivablesOf(value: unknown): Receivable[] {
  if (value === null || value === undefined) return [];
  const one = (currency: string, v: Record<string, unknown>): Receivable => ({
    currency: String(v.currency ?? currency),
    buckets: bucketsOf(v.buckets ?? v.ageing ?? v.aging),
    dso: v.dso === null || v.dso === undefined ? null : num(v.dso),
    outstanding: v.outstanding === undefined && v.total === undefined ? null : num(v.outstanding ?? v.total),
  });
  if (Array.isArray(value)) return value.map((v: Record<string, unknown>) => one(String(v.currency ?? ''), v));
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.byCurrency)) return receivablesOf(v.byCurrency);
  if (Array.isArray(v.currencies)) return receivablesOf(v.currencies);
  if ('buckets' in v || 'dso' in v) return [one(String(v.currency ?? ''), v)];
  return Object.entries(v)
    .filter(([key, item]) => /^[A-Z]{3}$/.test(key) && typeof item === 'object' && item !== null)
    .map(([key, item]) => one(key, item as Record<string, unknown>));
}

export function DashboardScreen(): ReactNode {
  useTitle('Dashboard');
  const me = useMe();
  const [days, setDays] = useState(30);
  const to = isoDay(new Date());
  const from = isoDay(new Date(Date.now() - (days - 1) * 86_400_000));
  const board = useResource(async (signal) => {
    try {
      return await api<Dashboard>(`/api/dashboard?from=${from}&to=${to}`, { signal });
    } catch (error) {
      if (isMissingRoute(error)) return estimate(from, to, signal);
      throw error;
    }
  }, [from, to]);
  const recent = useResource((signal) => api<{ runs: Run[] }>('/api/runs?limit=6', { signal }), []);
  const d = board.data;
  const totals = d?.runsPerDay.reduce((acc, r) => ({ started: acc.started + r.started, completed: acc.completed + r.completed, failed: acc.failed + r.failed }), { started: 0, completed: 0, failed: 0 });
  const receivables = receivablesOf(d?.receivables);

  return (
    <div>
      <PageHeader
        title="Dashboard"
        subtitle="What OpsLoop did for you, and what it saved."
        actions={
          <div className="segmented" role="group" aria-label="Period">
            {periods.map((p) => (
              <button key={p.days} type="button" className={days === p.days ? 'active' : ''} aria-pressed={days === p.days} onClick={() => setDays(p.days)}>
                {p.label}
              </button>
            ))}
          </div>
        }
      />
      <ErrorNote error={board.error} onRetry={board.reload} title="The numbers could not be loaded" />
      {d === undefined && board.error === null ? <Loading /> : null}
      {d?.estimated === true ? <Notice>This server does not compute the full dashboard yet; the runs below are counted from the most recent 500 runs.</Notice> : null}
      {d === undefined || totals === undefined ? null : (
        <>
          <div className="stats">
            <Stat label="Runs started" value={String(totals.started)} note={`${totals.completed} completed · ${totals.failed} failed`} />
            <Stat label="Hours saved" value={d.hoursSaved.total.toFixed(1)} note={d.hoursSaved.byWorkflow.length === 0 ? 'Set minutes per run below' : `across ${d.hoursSaved.byWorkflow.length} workflows`} />
            <Stat label="Escalation rate" value={formatPercent(d.escalationRate)} note="runs that needed a person" />
            <Stat label="Rework rate" value={formatPercent(d.reworkRate)} note="approvals edited or corrected" />
          </div>
          <div className="grid-2">
            <Card title="Runs per day" className="span-2">
              {totals.started === 0 && totals.completed === 0 ? (
                <Empty title="No runs in this period">
                  <p>
                    Runs appear here as soon as a workflow starts. <Link to="/documents/new">Create an invoice from one sentence</Link> to see one.
                  </p>
                </Empty>
              ) : (
                <DayBars
                  title={`Runs per day, ${from} to ${to}: ${totals.started} started, ${totals.completed} completed, ${totals.failed} failed`}
                  days={d.runsPerDay.map((r) => ({ ...r }))}
                  series={[
                    { key: 'started', label: 'Started', className: 'c-started' },
                    { key: 'completed', label: 'Completed', className: 'c-completed' },
                    { key: 'failed', label: 'Failed', className: 'c-failed' },
                  ]}
                />
              )}
            </Card>
            <Card title="Automation rate">
              <div className="ring-row">
                <Ring value={d.automationRate} label="Automation rate" />
                <p className="muted">{d.automationRate === null ? 'Not measured yet.' : 'Share of runs that finished without a person stepping in.'}</p>
              </div>
            </Card>
            <Card title="AI cost">
              {d.aiCost === null ? (
                <p className="muted">Not measured yet.</p>
              ) : (
                <div className="big-number">
                  <strong>{formatMoney(d.aiCost.costMicros / 1e6, 'USD')}</strong>
                  <span className="muted">
                    {d.aiCost.calls} AI calls{d.aiCost.perRun === null ? '' : ` · ${formatMoney(d.aiCost.perRun / 1e6, 'USD')} per run`}
                  </span>
                </div>
              )}
            </Card>
            <Card title="Hours saved per workflow" className="span-2">
              <HoursSaved dashboard={d} mayEdit={can(me.user, 'admin')} onSaved={board.reload} />
            </Card>
            <Card title="Money owed to you" className="span-2">
              {receivables.length === 0 ? (
                <p className="muted">No open invoices{d.estimated === true ? ' counted here yet' : ''}. Ageing buckets and days sales outstanding (DSO) appear once invoices are sent.</p>
              ) : (
                receivables.map((r) => (
                  <div key={r.currency} className="receivable">
                    <div className="receivable-head">
                      <h3>{r.currency}</h3>
                      <span>
                        DSO <strong>{r.dso === null ? '—' : `${Math.round(r.dso)} days`}</strong>
                        {r.outstanding === null ? null : (
                          <>
                            {' '}
                            · outstanding <strong>{formatMoney(r.outstanding, r.currency)}</strong>
                          </>
                        )}
                      </span>
                    </div>
                    <HBars title={`Receivables ageing in ${r.currency}`} className="c-owed" items={r.buckets.map((b) => ({ label: bucketLabel(b.label), value: b.amount, display: formatMoney(b.amount, r.currency) }))} />
                  </div>
                ))
              )}
            </Card>
          </div>
        </>
      )}
      <Card title="Recent runs" actions={<Link to="/runs">All runs</Link>}>
        {recent.data === undefined ? <ErrorNote error={recent.error} /> : null}
        {recent.data !== undefined && recent.data.runs.length === 0 ? <p className="muted">No runs yet.</p> : null}
        <ul className="plain-list" data-testid="recent-runs">
          {recent.data?.runs.map((run) => (
            <li key={run.id}>
              <Link to={`/runs/${run.id}`}>{humanize(run.workflowId)}</Link>
              <StatusBadge status={run.status} />
              <span className="muted small">{timeAgo(run.updatedAt)}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function Stat(props: { label: string; value: string; note?: string }): ReactNode {
  return (
    <div className="stat">
      <span className="stat-label">{props.label}</span>
      <span className="stat-value">{props.value}</span>
      {props.note === undefined ? null : <span className="stat-note">{props.note}</span>}
    </div>
  );
}

function HoursSaved(props: { dashboard: Dashboard; mayEdit: boolean; onSaved: () => void }): ReactNode {
  const rows = props.dashboard.hoursSaved.byWorkflow;
  const [editing, setEditing] = useState<string | null>(null);
  const [minutes, setMinutes] = useState('');
  const save = useAction();
  if (rows.length === 0)
    return (
      <>
        <p className="muted">Tell OpsLoop how many minutes a workflow took by hand (its baseline) and it counts the hours it saves you.</p>
        {props.mayEdit ? <FirstBaseline onSaved={props.onSaved} /> : null}
      </>
    );
  return (
    <>
      <HBars title="Hours saved per workflow" className="c-saved" items={rows.map((r) => ({ label: r.name, value: r.hours, display: `${r.hours.toFixed(1)} h` }))} />
      <table className="table compact">
        <caption className="sr-only">Baselines</caption>
        <thead>
          <tr>
            <th scope="col">Workflow</th>
            <th scope="col" className="num">
              Runs
            </th>
            <th scope="col" className="num">
              Minutes by hand
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.workflowId}>
              <td>{r.name}</td>
              <td className="num">{r.runs}</td>
              <td className="num">
                {editing === r.workflowId ? (
                  <input className="inline-input" type="number" min={0} step={1} aria-label={`Minutes per run by hand for ${r.name}`} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
                ) : (
                  (r.minutesPerRun ?? '—')
                )}
              </td>
              <td className="actions-cell">
                {!props.mayEdit ? null : editing === r.workflowId ? (
                  <>
                    <Button
                      variant="primary"
                      busy={save.busy}
                      onClick={() =>
                        void save.run(async () => {
                          await api(`/api/workflows/${encodeURIComponent(r.workflowId)}/baseline`, { method: 'PUT', body: { minutesPerRun: Number(minutes) } });
                          setEditing(null);
                          props.onSaved();
                        })
                      }
                    >
                      Save
                    </Button>
                    <Button variant="ghost" onClick={() => setEditing(null)}>
                      Cancel
                    </Button>
                  </>
                ) : (
                  <Button
                    variant="ghost"
                    aria-label={`Set minutes per run for ${r.name}`}
                    onClick={() => {
                      setEditing(r.workflowId);
                      setMinutes(String(r.minutesPerRun ?? ''));
                    }}
                  >
                    Set baseline
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={save.error} title="The baseline was not saved" />
    </>
  );
}

function FirstBaseline(props: { onSaved: () => void }): ReactNode {
  const workflows = useResource((signal) => api<{ workflows: WorkflowSummary[] }>('/api/workflows', { signal }), []);
  const [workflow, setWorkflow] = useState('');
  const [minutes, setMinutes] = useState('');
  const save = useAction();
  const list = workflows.data?.workflows ?? [];
  if (list.length === 0) return null;
  const chosen = workflow === '' ? (list[0]?.id ?? '') : workflow;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(async () => {
          await api(`/api/workflows/${encodeURIComponent(chosen)}/baseline`, { method: 'PUT', body: { minutesPerRun: Number(minutes) } });
          props.onSaved();
        });
      }}
    >
      <div className="field">
        <label htmlFor="baseline-workflow">Workflow</label>
        <select id="baseline-workflow" value={chosen} onChange={(e) => setWorkflow(e.target.value)}>
          {list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="baseline-minutes">Minutes per run by hand</label>
        <input id="baseline-minutes" type="number" min={0} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
      </div>
      <Button type="submit" variant="primary" busy={save.busy}>
        Save baseline
      </Button>
      <ErrorNote error={save.error} title="The baseline was not saved" />
    </form>
  );
}
