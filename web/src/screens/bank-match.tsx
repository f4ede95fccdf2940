/**
 * Matching money received by hand: pick the open invoices it pays and how much of it goes to each.
 * The amounts may add up to less than the transaction (the rest stays unallocated), never more.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, errorMessage } from '../api.ts';
import { formatDay, formatMoney } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import type { BankAllocation, BankTransaction, BusinessDocument } from '../types.ts';
import { Button, Dialog, ErrorNote, Loading } from '../ui.tsx';
import { currencyDigits, fromMinor, toMinor } from './bank-csv.ts';

const openStatuses = ['sent', 'partially_paid', 'overdue'];

interface OpenInvoice {
  number: string;
  client: string;
  issueDate: string | null;
  outstandingMinor: bigint;
}

async function openInvoices(currency: string, signal: AbortSignal): Promise<OpenInvoice[]> {
  const digits = currencyDigits(currency);
  const lists = await Promise.all(openStatuses.map((status) => api<{ documents: BusinessDocument[] }>(`/api/documents?status=${status}`, { signal })));
  return lists
    .flatMap((l) => l.documents)
    .filter((d) => d.kind === 'invoice' && d.currency === currency)
    .map((d) => ({ number: d.number, client: d.client.name, issueDate: d.issueDate, outstandingMinor: (toMinor(d.total, digits) ?? 0n) - (toMinor(d.paid, digits) ?? 0n) }))
    .filter((i) => i.outstandingMinor > 0n);
}

/** Invoices the transaction seems to be about first: its reference or text names them, or the client. */
function likely(tx: BankTransaction, invoice: OpenInvoice): number {
  const text = `${tx.reference ?? ''} ${tx.description ?? ''}`.toLowerCase();
  const payer = (tx.counterparty ?? '').toLowerCase();
  let score = 0;
  if (text.includes(invoice.number.toLowerCase())) score += 2;
  const firstWord = invoice.client.toLowerCase().split(/\s+/)[0] ?? '';
  if (firstWord.length > 2 && payer.includes(firstWord)) score += 1;
  return score;
}

export function MatchDialog(props: { transaction: BankTransaction; onClose: () => void; onMatched: (transaction: BankTransaction) => void }): ReactNode {
  const tx = props.transaction;
  const digits = currencyDigits(tx.currency);
  const received = toMinor(tx.amount, digits) ?? 0n;
  const invoices = useResource(async (signal) => (await openInvoices(tx.currency, signal)).sort((a, b) => likely(tx, b) - likely(tx, a)), [tx.id, tx.currency]);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const save = useAction();

  const chosen = Object.entries(picked);
  const amounts = chosen.map(([invoice, amount]) => ({ invoice, amount, minor: toMinor(amount, digits) }));
  const bad = amounts.filter((a) => a.minor === null || a.minor <= 0n).map((a) => a.invoice);
  const total = amounts.reduce((sum, a) => sum + (a.minor ?? 0n), 0n);
  const over = total > received;
  const left = received - total;

  const toggle = (invoice: OpenInvoice, on: boolean): void => {
    setPicked((p) => {
      const next = { ...p };
      if (!on) {
        delete next[invoice.number];
        return next;
      }
      const used = Object.values(p).reduce((sum, a) => sum + (toMinor(a, digits) ?? 0n), 0n);
      const remaining = received - used;
      const amount = remaining > 0n && remaining < invoice.outstandingMinor ? remaining : invoice.outstandingMinor;
      next[invoice.number] = fromMinor(amount, digits);
      return next;
    });
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (chosen.length === 0 || over || bad.length > 0) return;
    void save.run(async () => {
      const allocations: BankAllocation[] = amounts.map((a) => ({ invoice: a.invoice, amount: fromMinor(a.minor ?? 0n, digits) }));
      const result = await api<{ transaction: BankTransaction }>(`/api/bank/transactions/${encodeURIComponent(tx.id)}/match`, { method: 'POST', body: { allocations } });
      props.onMatched(result.transaction);
    });
  };

  const who = tx.counterparty ?? tx.description ?? 'the payer';
  return (
    <Dialog title={`Match ${formatMoney(tx.amount, tx.currency)} from ${who}`} open onClose={props.onClose} wide>
      <form onSubmit={submit} aria-label="Match by hand">
        <p className="muted">
          Received {formatDay(tx.date)}
          {tx.reference === null ? '' : `, reference “${tx.reference}”`}
          {tx.description === null || tx.description === tx.reference ? '' : `, “${tx.description}”`}. Choose the invoices it pays; each becomes a payment on that invoice.
        </p>
        <ErrorNote error={invoices.error} onRetry={invoices.reload} title="The open invoices could not be loaded" />
        {invoices.data === undefined && invoices.error === null ? <Loading label="Loading open invoices…" /> : null}
        {invoices.data !== undefined && invoices.data.length === 0 ? <p>There are no open invoices in {tx.currency} to match this payment to.</p> : null}
        {invoices.data === undefined || invoices.data.length === 0 ? null : (
          <div className="table-wrap">
            <table className="table compact match-table">
              <caption className="sr-only">Open invoices in {tx.currency}</caption>
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Client</th>
                  <th scope="col" className="num">
                    Still owed
                  </th>
                  <th scope="col" className="num">
                    Amount paid
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoices.data.map((invoice) => {
                  const amount = picked[invoice.number];
                  const owed = fromMinor(invoice.outstandingMinor, digits);
                  return (
                    <tr key={invoice.number} className={amount === undefined ? undefined : 'picked'}>
                      <td>
                        <label className="check">
                          <input type="checkbox" checked={amount !== undefined} onChange={(e) => toggle(invoice, e.target.checked)} />
                          <span>
                            {invoice.number}
                            <span className="muted small"> {formatDay(invoice.issueDate)}</span>
                          </span>
                        </label>
                      </td>
                      <td>{invoice.client}</td>
                      <td className="num">{formatMoney(owed, tx.currency)}</td>
                      <td className="num">
                        {amount === undefined ? (
                          <span className="muted">—</span>
                        ) : (
                          <input
                            className="inline-input match-amount"
                            inputMode="decimal"
                            value={amount}
                            onChange={(e) => setPicked((p) => ({ ...p, [invoice.number]: e.target.value }))}
                            aria-label={`Amount paid on ${invoice.number}`}
                            aria-invalid={bad.includes(invoice.number) || undefined}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className={`match-total${over ? ' form-error' : ''}`} aria-live="polite">
          {chosen.length === 0
            ? `Nothing chosen yet: ${formatMoney(tx.amount, tx.currency)} to allocate.`
            : over
              ? `The amounts add up to ${formatMoney(fromMinor(total, digits), tx.currency)}, more than the ${formatMoney(tx.amount, tx.currency)} received.`
              : `${formatMoney(fromMinor(total, digits), tx.currency)} of ${formatMoney(tx.amount, tx.currency)} allocated${left > 0n ? `; ${formatMoney(fromMinor(left, digits), tx.currency)} stays unallocated` : ''}.`}
          {bad.length > 0 ? ` Write the amount for ${bad.join(', ')} as a number such as 250.00.` : ''}
        </p>
        {save.error === null ? null : (
          <div className="error-note" role="alert">
            <strong>It was not matched</strong>
            <p>{errorMessage(save.error)}</p>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.busy} disabled={chosen.length === 0 || over || bad.length > 0}>
            Match
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
