/** Audit: every decision and change, searchable; the hash chain can be verified and exported. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, download } from '../api.ts';
import { actorName, formatDateTime, humanize, shortId } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { AuditEntry } from '../types.ts';
import { Button, Empty, ErrorNote, JsonBlock, Link, Loading, Notice, PageHeader } from '../ui.tsx';

interface Query {
  action: string;
  actor: string;
  run: string;
  subject: string;
}
const blank: Query = { action: '', actor: '', run: '', subject: '' };

export function AuditScreen(): ReactNode {
  useTitle('Audit');
  const me = useMe();
  const [form, setForm] = useState<Query>(blank);
  const [query, setQuery] = useState<Query>(blank);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [verify, setVerify] = useState<{ ok: boolean; entries: number; lastHash?: string | null; brokenAt?: number; message?: string } | null>(null);
  const verifying = useAction();
  const exporting = useAction();
  const more = useAction();
  const params = (extra: Record<string, string> = {}): string => {
    const p = new URLSearchParams({ limit: '100', ...extra });
    for (const [k, v] of Object.entries(query)) if (v.trim() !== '') p.set(k, v.trim());
    return p.toString();
  };
  const entries = useResource(
    (signal) => {
      setOlder([]);
      return api<{ entries: AuditEntry[] }>(`/api/audit?${params()}`, { signal }).then((r) => r.entries);
    },
    [query],
  );
  const all = [...(entries.data ?? []), ...older];
  const last = all[all.length - 1];

  const search = (event: FormEvent): void => {
    event.preventDefault();
    setQuery({ ...form });
  };

  return (
    <div>
      <PageHeader
        title="Audit trail"
        subtitle="Every step, decision and change, in order. Each entry is chained to the one before, so tampering shows."
        actions={
          <>
            <Button
              busy={verifying.busy}
              onClick={() =>
                void verifying.run(async () => {
                  setVerify(await api('/api/audit/verify'));
                })
              }
            >
              Verify chain
            </Button>
            {can(me.user, 'admin') ? (
              <>
                <Button busy={exporting.busy} onClick={() => void exporting.run(() => download('/api/audit/export?format=csv', 'opsloop-audit.csv'))}>
                  Export CSV
                </Button>
                <Button busy={exporting.busy} onClick={() => void exporting.run(() => download('/api/audit/export?format=jsonl', 'opsloop-audit.jsonl'))}>
                  Export JSONL
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {verify === null ? null : verify.ok ? (
        <Notice tone="good">
          <span data-testid="verify-result">
            The chain is intact: {verify.entries} entries checked{verify.lastHash === undefined || verify.lastHash === null ? '' : `, last hash ${verify.lastHash.slice(0, 12)}…`}.
          </span>
        </Notice>
      ) : (
        <div className="error-note" role="alert" data-testid="verify-result">
          <strong>The chain is broken</strong>
          <p>{verify.message ?? `An entry does not match its hash${verify.brokenAt === undefined ? '' : ` at #${verify.brokenAt}`}.`} Someone changed the audit trail outside OpsLoop; restore the database from a backup and find out who had access.</p>
        </div>
      )}
      <ErrorNote error={verifying.error ?? exporting.error} />
      <form className="filters" role="search" aria-label="Search the audit trail" onSubmit={search}>
        {(
          [
            ['action', 'Action', 'approval.decided'],
            ['actor', 'Actor', 'user:ana@example.com'],
            ['run', 'Run id', ''],
            ['subject', 'Subject id', ''],
          ] as const
        ).map(([key, label, placeholder]) => (
          <div className="field inline" key={key}>
            <label htmlFor={`audit-${key}`}>{label}</label>
            <input id={`audit-${key}`} value={form[key]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
          </div>
        ))}
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            setForm(blank);
            setQuery(blank);
          }}
        >
          Clear
        </Button>
      </form>
      <ErrorNote error={entries.error} onRetry={entries.reload} title="The audit trail could not be loaded" />
      {entries.data === undefined && entries.error === null ? <Loading /> : null}
      {entries.data !== undefined && all.length === 0 ? (
        <Empty title="No entries match">
          <p>Actions look like <code>run.started</code>, <code>approval.decided</code>, <code>policy.verdict</code>. Actors look like <code>user:you@example.com</code> or <code>system</code>.</p>
        </Empty>
      ) : null}
      {all.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Audit entries</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Subject</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {all.map((e) => (
                <tr key={e.seq}>
                  <td className="num mono">{e.seq}</td>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{actorName(e.actor)}</td>
                  <td>{humanize(e.action)}</td>
                  <td>
                    {e.runId === null ? (
                      <span className="muted">{e.subjectType ?? '—'}</span>
                    ) : (
                      <Link to={`/runs/${e.runId}`}>
                        {e.subjectType ?? 'run'} <span className="mono">{shortId(e.subjectId ?? e.runId)}</span>
                      </Link>
                    )}
                  </td>
                  <td>
                    <details className="nested">
                      <summary>Data</summary>
                      <JsonBlock value={e.data} label={`Data of entry ${e.seq}`} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {last === undefined || all.length % 100 !== 0 ? null : (
        <Button
          busy={more.busy}
          onClick={() =>
            void more.run(async () => {
              const page = await api<{ entries: AuditEntry[] }>(`/api/audit?${params({ before: String(last.seq) })}`);
              setOlder((o) => [...o, ...page.entries]);
            })
          }
        >
          Show older entries
        </Button>
      )}
      <ErrorNote error={more.error} />
    </div>
  );
}
