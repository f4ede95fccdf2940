/**
 * Bank: the lines of imported bank statements, what each was matched to, and reconciliation —
 * confident matches applied at once, the others sent to the Inbox for a person. Admins import,
 * reconcile and match by hand; everyone else sees.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { formatDay, formatMoney, formatPercent, humanize } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { navigate, useLocation, useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { AppliedBankMatch, BankTransaction, ProposedBankMatch, Reconciliation } from '../types.ts';
import { Button, Card, Empty, ErrorNote, Link, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';
import { ImportStatement } from './bank-import.tsx';
import { MatchDialog } from './bank-match.tsx';

const filters = [
  { value: 'all', label: 'All' },
  { value: 'unmatched', label: 'Unmatched' },
  { value: 'matched', label: 'Matched' },
] as const;
type Filter = (typeof filters)[number]['value'];

const kindLabels: Record<string, string> = { exact: 'Pays it in full', several: 'Pays several invoices', partial: 'Part-payment', overpaid: 'More than owed' };
const thresholdOrigin: Record<Reconciliation['thresholdSource'], string> = { settings: 'threshold set in Settings', environment: 'threshold set where OpsLoop runs', request: 'threshold given for this run' };
const methodLabels: Record<string, string> = { auto: 'automatic', review: 'approved in the Inbox', manual: 'by hand' };

export function BankScreen(): ReactNode {
  useTitle('Bank');
  const me = useMe();
  const admin = can(me.user, 'admin');
  const { query } = useLocation();
  const status: Filter = filters.find((f) => f.value === query.get('status'))?.value ?? 'all';
  const list = useResource((signal) => api<{ transactions: BankTransaction[] }>(`/api/bank/transactions?status=${status}`, { signal }).then((r) => r.transactions), [status]);
  const [importing, setImporting] = useState(false);
  const [matching, setMatching] = useState<BankTransaction | null>(null);
  const [matched, setMatched] = useState<BankTransaction | null>(null);
  const [report, setReport] = useState<{ result: Reconciliation; before: BankTransaction[] } | null>(null);
  const reconcile = useAction();

  const transactions = list.data ?? [];
  const accounts = [...new Set(transactions.map((t) => t.account))];
  const currency = transactions[0]?.currency ?? '';
  const empty = list.data !== undefined && transactions.length === 0;
  const nothingYet = empty && status === 'all';
  // With nothing imported the form opens by itself; it stays open once the first import lands, so
  // its outcome ("4 new, 0 already imported") is still there when the list fills.
  useEffect(() => {
    if (nothingYet) setImporting(true);
  }, [nothingYet]);

  const runReconcile = (): void => {
    setMatched(null);
    void reconcile.run(async () => {
      const before = transactions;
      const result = await api<Reconciliation>('/api/bank/reconcile', { method: 'POST', body: {} });
      setReport({ result, before });
      list.reload();
    });
  };

  return (
    <div>
      <PageHeader
        title="Bank"
        subtitle="Payments in and out of your bank account, matched to your invoices."
        actions={
          admin ? (
            <>
              <Button onClick={() => setImporting((o) => !o)} aria-expanded={importing || nothingYet}>
                Import a statement
              </Button>
              <Button variant="primary" busy={reconcile.busy} onClick={runReconcile} disabled={nothingYet}>
                Reconcile
              </Button>
            </>
          ) : undefined
        }
      />
      {admin && (importing || nothingYet) ? <ImportStatement accounts={accounts} currency={currency} onImported={() => list.reload()} onClose={nothingYet ? undefined : () => setImporting(false)} /> : null}
      <ErrorNote error={reconcile.error} title="Reconciliation did not run" />
      {report === null ? null : <ReconcileReport result={report.result} before={report.before} onClose={() => setReport(null)} />}
      {matched === null ? null : (
        <Notice tone="good">
          <span data-testid="match-outcome">
            Matched {formatMoney(matched.amount, matched.currency)} from {matched.counterparty ?? 'the payer'} to {matched.matches.map((m) => m.invoice).join(', ')}.
          </span>
        </Notice>
      )}
      <div className="filters bank-filters">
        <div className="segmented" role="group" aria-label="Show transactions">
          {filters.map((f) => (
            <button key={f.value} type="button" className={status === f.value ? 'active' : undefined} aria-pressed={status === f.value} onClick={() => navigate(f.value === 'all' ? '/bank' : `/bank?status=${f.value}`, { replace: true })}>
              {f.label}
            </button>
          ))}
        </div>
        {list.data === undefined ? null : (
          <span className="muted small">
            {transactions.length} transaction{transactions.length === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <ErrorNote error={list.error} onRetry={list.reload} title="The bank transactions could not be loaded" />
      {list.data === undefined && list.error === null ? <Loading /> : null}
      {nothingYet ? (
        <Empty title="No bank transactions yet">
          <p>
            A bank statement is the list of payments in and out of your account. In your online banking, look for <strong>Export</strong>, <strong>Download transactions</strong> or <strong>Statements</strong>, and choose CSV, OFX / QFX (for Quicken or
            Money) or CAMT.053 (XML, from European banks).
          </p>
          <p>{admin ? 'Import it above: OpsLoop matches the money you received to your open invoices and asks you about the unclear ones.' : 'Ask an admin to import one: OpsLoop then matches the money received to your open invoices.'}</p>
        </Empty>
      ) : null}
      {empty && !nothingYet ? <Empty title={status === 'matched' ? 'Nothing matched yet' : 'Everything is matched'}>{status === 'matched' ? <p>Press Reconcile to match money received to open invoices.</p> : <p>Every transaction has been matched.</p>}</Empty> : null}
      {transactions.length === 0 ? null : <TransactionsTable transactions={transactions} showAccount={accounts.length > 1} admin={admin} onMatch={setMatching} />}
      {matching === null ? null : (
        <MatchDialog
          transaction={matching}
          onClose={() => setMatching(null)}
          onMatched={(tx) => {
            setMatching(null);
            setMatched(tx);
            list.reload();
          }}
        />
      )}
    </div>
  );
}

/** "DE89370400440532013000" → "DE89…3000": enough to tell accounts apart in a narrow column. */
function shortAccount(account: string): string {
  return account.length > 12 ? `${account.slice(0, 4)}…${account.slice(-4)}` : account;
}

function Amount(props: { amount: string; currency: string }): ReactNode {
  const incoming = !props.amount.startsWith('-');
  const absolute = incoming ? props.amount : props.amount.slice(1);
  return (
    <span className={incoming ? 'money-in' : 'money-out'}>
      <span aria-hidden="true">{incoming ? '+' : '−'}</span>
      <span className="sr-only">{incoming ? 'Money in: ' : 'Money out: '}</span>
      {formatMoney(absolute, props.currency)}
    </span>
  );
}

function TransactionStatus(props: { tx: BankTransaction }): ReactNode {
  const { tx } = props;
  if (tx.status === 'matched') return <span className="badge tone-good">Matched</span>;
  if (tx.review !== null)
    return (
      <span className="bank-status">
        <span className="badge tone-wait">Waiting in the Inbox</span>
        <Link to="/inbox">Review</Link>
      </span>
    );
  return <span className={`badge ${tx.amount.startsWith('-') ? 'tone-muted' : 'tone-neutral'}`}>Unmatched</span>;
}

function TransactionsTable(props: { transactions: BankTransaction[]; showAccount: boolean; admin: boolean; onMatch: (tx: BankTransaction) => void }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table bank-table">
        <caption className="sr-only">Bank transactions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Counterparty</th>
            <th scope="col">Description</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">Matched to</th>
            {props.admin ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.transactions.map((tx) => {
            const who = tx.counterparty ?? '—';
            const canMatch = props.admin && tx.status === 'unmatched' && !tx.amount.startsWith('-') && Number(tx.amount) > 0;
            return (
              <tr key={tx.id}>
                <td data-label="Date">
                  <div>
                    {formatDay(tx.date)}
                    {props.showAccount ? (
                      <span className="muted small block" title={tx.account}>
                        {shortAccount(tx.account)}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td data-label="Counterparty">{who}</td>
                <td data-label="Description">
                  <div>
                    {tx.description ?? (tx.reference === null ? '—' : null)}
                    {tx.reference === null ? null : <span className="muted small block">Ref. {tx.reference}</span>}
                  </div>
                </td>
                <td data-label="Amount" className="num">
                  <Amount amount={tx.amount} currency={tx.currency} />
                </td>
                <td data-label="Status">
                  <TransactionStatus tx={tx} />
                </td>
                <td data-label="Matched to" className={tx.matches.length === 0 ? 'no-match' : undefined}>
                  {tx.matches.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="match-list">
                      {tx.matches.map((m) => (
                        <li key={m.paymentId}>
                          <Link to={`/documents/${encodeURIComponent(m.invoice)}`}>{m.invoice}</Link> <span className="amount">{formatMoney(m.amount, tx.currency)}</span>
                          <span className="muted small method"> {methodLabels[m.method] ?? m.method}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {props.admin ? (
                  <td className="actions-cell">
                    {canMatch ? (
                      <Button onClick={() => props.onMatch(tx)} aria-label={`Match ${formatMoney(tx.amount, tx.currency)} from ${who} by hand`}>
                        Match…
                      </Button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Confidence(props: { value: number | null }): ReactNode {
  if (props.value === null) return null;
  const tone = props.value >= 0.9 ? '' : props.value >= 0.7 ? ' meter-ok' : ' meter-low';
  return (
    <span className={`meter${tone}`} title="How sure OpsLoop is of this match">
      <span className="meter-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(props.value * 100)}%` }} />
      </span>
      {formatPercent(props.value)} sure
    </span>
  );
}

function Reasons(props: { reasons: string[] | undefined }): ReactNode {
  if (props.reasons === undefined || props.reasons.length === 0) return null;
  return (
    <details className="nested">
      <summary>Why</summary>
      <ul className="bank-reasons">
        {props.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </details>
  );
}

function ReconcileReport(props: { result: Reconciliation; before: BankTransaction[]; onClose: () => void }): ReactNode {
  const { result } = props;
  const payer = (id: string): string => props.before.find((t) => t.id === id)?.counterparty ?? 'a payer';
  const nothing = result.applied.length === 0 && result.proposed.length === 0;
  const owner = can(useMe().user, 'owner');
  return (
    <Card
      title="Reconciliation"
      className="reconcile-report"
      actions={
        <Button variant="ghost" onClick={props.onClose}>
          Dismiss
        </Button>
      }
    >
      <p className="muted small" data-testid="reconcile-threshold">
        {result.threshold >= 1 ? 'Every match waits for a person in the Inbox: nothing is applied without asking' : `Matches at least ${formatPercent(result.threshold)} sure are applied at once; the others wait for a person in the Inbox`} ({thresholdOrigin[result.thresholdSource]}
        {result.thresholdSource === 'request' ? null : (
          <>
            {' '}
            — <Link to="/settings">{owner ? 'change it in Settings' : 'see Settings'}</Link>
          </>
        )}
        ).
      </p>
      {nothing && result.unmatched === 0 ? <p data-testid="reconcile-nothing">Nothing to reconcile: every payment received is matched.</p> : null}
      {result.applied.length === 0 ? null : (
        <section aria-labelledby="applied-title" className="reconcile-section">
          <h3 id="applied-title">Applied automatically ({result.applied.length})</h3>
          <ul className="reconcile-list" data-testid="reconcile-applied">
            {result.applied.map((a) => (
              <AppliedItem key={a.transactionId} match={a} payer={payer(a.transactionId)} />
            ))}
          </ul>
        </section>
      )}
      {result.proposed.length === 0 ? null : (
        <section aria-labelledby="proposed-title" className="reconcile-section">
          <h3 id="proposed-title">Sent to the Inbox ({result.proposed.length})</h3>
          <ul className="reconcile-list" data-testid="reconcile-proposed">
            {result.proposed.map((p) => (
              <ProposedItem key={p.runId} proposal={p} />
            ))}
          </ul>
          <p>
            <Link to="/inbox">Review {result.proposed.length === 1 ? 'it' : 'them'} in the Inbox</Link>
          </p>
        </section>
      )}
      {result.unmatched === 0 ? null : (
        <p className="reconcile-unmatched" data-testid="reconcile-unmatched">
          <strong>
            {result.unmatched} payment{result.unmatched === 1 ? '' : 's'} received stay{result.unmatched === 1 ? 's' : ''} unmatched
          </strong>{' '}
          — no open invoice fits {result.unmatched === 1 ? 'it' : 'them'}. Match by hand below when you know what {result.unmatched === 1 ? 'it pays' : 'they pay'}.
        </p>
      )}
    </Card>
  );
}

function AppliedItem(props: { match: AppliedBankMatch; payer: string }): ReactNode {
  const { match } = props;
  return (
    <li>
      <div className="reconcile-line">
        <span>
          <strong>{formatMoney(match.amount, match.currency)}</strong> from {props.payer} on {formatDay(match.date)} paid{' '}
          {match.allocations.map((a, i) => (
            <span key={a.paymentId}>
              {i === 0 ? '' : ', '}
              <Link to={`/documents/${encodeURIComponent(a.invoice)}`}>{a.invoice}</Link>
              {match.allocations.length > 1 ? ` (${formatMoney(a.amount, match.currency)})` : ''} <StatusBadge status={a.status} />
            </span>
          ))}
        </span>
        <Confidence value={match.confidence} />
      </div>
      <Reasons reasons={match.reasons} />
    </li>
  );
}

function ProposedItem(props: { proposal: ProposedBankMatch }): ReactNode {
  const p = props.proposal;
  const t = p.transaction;
  return (
    <li>
      <div className="reconcile-line">
        <span>
          <strong>{formatMoney(t.amount, t.currency)}</strong> from {t.counterparty ?? 'a payer'} on {formatDay(t.date)} may pay{' '}
          {p.allocations.map((a, i) => {
            const invoice = p.invoices.find((inv) => inv.number === a.invoice);
            return (
              <span key={a.invoice}>
                {i === 0 ? '' : ', '}
                <Link to={`/documents/${encodeURIComponent(a.invoice)}`}>{a.invoice}</Link>
                {invoice === undefined ? '' : ` (${invoice.client}, ${formatMoney(invoice.outstanding, t.currency)} owed)`}
              </span>
            );
          })}
          <span className="kind-pill bank-kind">{kindLabels[p.kind] ?? humanize(p.kind)}</span>
          {p.created ? null : <span className="muted small"> already in the Inbox</span>}
        </span>
        <Confidence value={p.confidence} />
      </div>
      <Reasons reasons={p.reasons} />
    </li>
  );
}
