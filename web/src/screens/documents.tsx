/**
 * Documents: invoices, quotes and the rest; one document with its PDF, its public link and its
 * payments; and a new invoice from one sentence, checked by a person before it goes out.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, download, fieldError, request } from '../api.ts';
import { formatDay, formatMoney, humanize, isoDay } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { DocumentPreview } from '../proposal.tsx';
import { navigate, useLocation, useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { BusinessDocument, Client, Draft, PreviewDocument, Run } from '../types.ts';
import { Button, Card, Dialog, Empty, ErrorNote, Facts, Field, Link, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';

/** The shipped playbook that takes an invoice from a sentence to cash. */
export const invoiceWorkflow = 'invoice-to-cash';

const documentStatuses = ['draft', 'awaiting_approval', 'sent', 'partially_paid', 'overdue', 'paid', 'void', 'accepted', 'declined', 'expired'];

export function DocumentsScreen(): ReactNode {
  useTitle('Documents');
  const me = useMe();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const docs = useResource((signal) => api<{ documents: BusinessDocument[] }>(`/api/documents${status === '' ? '' : `?status=${encodeURIComponent(status)}`}`, { signal }), [status]);
  const list = docs.data?.documents ?? [];
  return (
    <div>
      <PageHeader
        title="Documents"
        subtitle="Invoices, quotes, credit notes and receipts."
        actions={
          can(me.user, 'admin') ? (
            <Button variant="primary" onClick={() => navigate('/documents/new')}>
              New from one sentence
            </Button>
          ) : undefined
        }
      />
      <div className="filters" role="search" aria-label="Filter documents">
        <div className="field inline">
          <label htmlFor="doc-status">Status</label>
          <select id="doc-status" value={status} onChange={(e) => navigate(e.target.value === '' ? '/documents' : `/documents?status=${e.target.value}`, { replace: true })}>
            <option value="">All</option>
            {documentStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={docs.error} onRetry={docs.reload} title="The documents could not be loaded" />
      {docs.data === undefined && docs.error === null ? <Loading /> : null}
      {docs.data !== undefined && list.length === 0 ? (
        <Empty title={status === '' ? 'No documents yet' : `No ${humanize(status).toLowerCase()} documents`} action={status === '' && can(me.user, 'admin') ? <Button variant="primary" onClick={() => navigate('/documents/new')}>Create an invoice from one sentence</Button> : undefined}>
          {status === '' ? <p>Write what you want to bill in one sentence — “Invoice Acme Ltd $2,500 for website development due in 14 days” — and OpsLoop drafts it, asks you to check it, sends it and follows up until it is paid.</p> : <p>Choose “All” to see every document.</p>}
        </Empty>
      ) : null}
      {list.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Documents</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Client</th>
                <th scope="col">Status</th>
                <th scope="col">Issued</th>
                <th scope="col">Due</th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/documents/${d.id}`}>{d.number}</Link>
                    <span className="muted small"> {humanize(d.kind)}</span>
                  </td>
                  <td>{d.client.name}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{formatDay(d.issueDate)}</td>
                  <td>{formatDay(d.dueDate ?? d.validUntil)}</td>
                  <td className="num">{formatMoney(d.total, d.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * The Payment card. An invoice's `paid` counts credit notes applied to it too: money and credit
 * show apart. A credit note shows how much of it settled its invoice and what is left for the client.
 */
function paymentFacts(d: BusinessDocument): [string, ReactNode][] {
  const credited = Number(d.credited ?? 0);
  const total: [string, ReactNode] = ['Total', formatMoney(d.total, d.currency)];
  if (d.kind === 'credit_note') {
    const invoice = d.reference ?? 'no invoice';
    if (d.status === 'void') return [total, ['Applied', 'Nothing: it is void']];
    if (d.status === 'draft' || d.status === 'awaiting_approval') return [total, ['Applies to', `${invoice}, when it is sent (up to what the invoice still owes)`]];
    return [total, [`Applied to ${invoice}`, formatMoney(credited, d.currency)], ["Client's credit (refund due)", formatMoney(Number(d.total) - credited, d.currency)]];
  }
  return [
    total,
    ['Paid', formatMoney(Number(d.paid) - credited, d.currency)],
    ...(credited > 0 ? [['Credited', formatMoney(credited, d.currency)] as [string, ReactNode]] : []),
    ['Outstanding', formatMoney(Number(d.total) - Number(d.paid), d.currency)],
  ];
}

export function DocumentScreen(props: { id: string }): ReactNode {
  const me = useMe();
  const doc = useResource((signal) => api<{ document: BusinessDocument }>(`/api/documents/${props.id}`, { signal }).then((r) => r.document), [props.id]);
  const d = doc.data;
  useTitle(d === undefined ? 'Document' : `${humanize(d.kind)} ${d.number}`);
  const [link, setLink] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  const [action, setAction] = useState<'send' | 'void' | 'credit' | null>(null);
  const [done, setDone] = useState<ReactNode>(null);
  const [pdfVersion, setPdfVersion] = useState(0);
  const share = useAction();
  const pdf = useAction();
  const admin = can(me.user, 'admin');
  const payable = d !== undefined && d.kind === 'invoice' && ['sent', 'partially_paid', 'overdue'].includes(d.status);
  const shareable = d !== undefined && ['draft', 'sent'].includes(d.status);
  const voidable = d !== undefined && ['draft', 'awaiting_approval', 'sent', 'overdue'].includes(d.status);
  const creditable = d !== undefined && d.kind === 'invoice' && ['sent', 'partially_paid', 'overdue', 'paid'].includes(d.status);
  const sendable = d !== undefined && d.status !== 'void';

  return (
    <div>
      <PageHeader
        back={{ to: '/documents', label: 'Documents' }}
        title={d === undefined ? 'Document' : `${humanize(d.kind)} ${d.number}`}
        subtitle={d === undefined ? undefined : <StatusBadge status={d.status} />}
        actions={
          d === undefined ? undefined : (
            <>
              <Button busy={pdf.busy} onClick={() => void pdf.run(() => download(`/api/documents/${d.id}/pdf`, `${d.number}.pdf`))}>
                Download PDF
              </Button>
              {admin && shareable ? (
                <Button
                  busy={share.busy}
                  onClick={() =>
                    void share.run(async () => {
                      const result = await api<{ document: BusinessDocument; link: string }>(`/api/documents/${d.id}/link`, { method: 'POST' });
                      setLink(new URL(result.link, window.location.origin).href);
                      doc.set(result.document);
                      setPdfVersion((v) => v + 1);
                    })
                  }
                >
                  {d.status === 'draft' ? 'Mark sent and get link' : 'Get client link'}
                </Button>
              ) : null}
              {admin && payable ? (
                <Button variant="primary" onClick={() => setPaying(true)}>
                  Record payment
                </Button>
              ) : null}
              {admin && sendable ? <Button onClick={() => setAction('send')}>Send by email</Button> : null}
              {admin && creditable ? <Button onClick={() => setAction('credit')}>Credit note</Button> : null}
              {admin && voidable ? (
                <Button variant="danger" onClick={() => setAction('void')}>
                  Void
                </Button>
              ) : null}
            </>
          )
        }
      />
      <ErrorNote error={doc.error} onRetry={doc.reload} title="The document could not be loaded" />
      <ErrorNote error={share.error ?? pdf.error} />
      {link === null ? null : (
        <Notice tone="good">
          Send this link to the client: <a href={link}>{link}</a>
        </Notice>
      )}
      {done === null ? null : <Notice tone="good">{done}</Notice>}
      {d === undefined && doc.error === null ? <Loading /> : null}
      {d === undefined ? null : (
        <div className="doc-layout">
          <div>
            <Card>
              <DocumentPreview doc={d} />
            </Card>
            <Card title={d.kind === 'credit_note' ? 'Credit' : 'Payment'}>
              <Facts items={paymentFacts(d)} />
            </Card>
          </div>
          <PdfPreview id={d.id} title={`PDF of ${humanize(d.kind)} ${d.number}`} version={pdfVersion} />
        </div>
      )}
      {d === undefined ? null : (
        <PaymentDialog
          open={paying}
          doc={d}
          onClose={() => setPaying(false)}
          onPaid={(updated) => {
            setPaying(false);
            doc.set(updated);
            setPdfVersion((v) => v + 1);
          }}
        />
      )}
      {d === undefined || action !== 'void' ? null : (
        <VoidDialog
          doc={d}
          onClose={() => setAction(null)}
          onVoided={(updated) => {
            setAction(null);
            doc.set(updated);
            setPdfVersion((v) => v + 1);
            setDone(<span data-testid="action-outcome">{humanize(updated.kind)} {updated.number} is void. Reminders for it have stopped; its number stays used.</span>);
          }}
        />
      )}
      {d === undefined || action !== 'credit' ? null : (
        <CreditDialog
          doc={d}
          onClose={() => setAction(null)}
          onCreated={(note) => {
            setAction(null);
            navigate(`/documents/${note.id}`);
          }}
        />
      )}
      {d === undefined || action !== 'send' ? null : (
        <SendDialog
          doc={d}
          onClose={() => setAction(null)}
          onSent={(updated, run, to) => {
            setAction(null);
            doc.set(updated);
            setPdfVersion((v) => v + 1);
            setDone(
              <>
                <span data-testid="action-outcome">
                  {run.status === 'exception' ? `Sending ${updated.number} stopped; see the run for why.` : `${updated.number} goes to ${to} with its PDF.`}
                </span>
                <Link to={`/runs/${run.id}`}>Watch the run</Link>
              </>,
            );
          }}
        />
      )}
    </div>
  );
}

/** Voiding is final: the dialog says so, asks why, and only then voids. */
function VoidDialog(props: { doc: BusinessDocument; onClose: () => void; onVoided: (doc: BusinessDocument) => void }): ReactNode {
  const [reason, setReason] = useState('');
  const save = useAction();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      const result = await api<{ document: BusinessDocument }>(`/api/documents/${props.doc.id}/void`, { method: 'POST', body: { reason: reason.trim() } });
      props.onVoided(result.document);
    });
  };
  return (
    <Dialog title={`Void ${props.doc.number}?`} open onClose={props.onClose}>
      <form onSubmit={submit}>
        <Notice tone="warn">
          <span>
            This cannot be undone. {humanize(props.doc.kind)} {props.doc.number} stays in your records as void, its number stays used, and {props.doc.kind === 'invoice' ? 'no more reminders go out for it.' : props.doc.kind === 'credit_note' && Number(props.doc.credited ?? 0) > 0 ? `what it took off ${props.doc.reference ?? 'the invoice'} is owed again.` : 'it can no longer be sent or accepted.'}
          </span>
        </Notice>
        <Field label="Why is it void?" hint="Kept in the audit trail." error={fieldError(save.error, 'reason')}>
          {(id, hint) => <textarea id={id} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={hint} required autoFocus />}
        </Field>
        {fieldError(save.error, 'reason') === null ? <ErrorNote error={save.error} title="It was not voided" /> : null}
        <div className="form-actions">
          <Button type="submit" variant="danger" busy={save.busy} disabled={reason.trim() === ''}>
            Void {props.doc.number}
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Keep it
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function CreditDialog(props: { doc: BusinessDocument; onClose: () => void; onCreated: (note: BusinessDocument) => void }): ReactNode {
  const [amount, setAmount] = useState(props.doc.total);
  const [reason, setReason] = useState('');
  const save = useAction();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      const result = await api<{ document: BusinessDocument }>(`/api/documents/${props.doc.id}/credit-note`, { method: 'POST', body: { reason: reason.trim(), ...(amount.trim() === '' ? {} : { amount: amount.trim() }) } });
      props.onCreated(result.document);
    });
  };
  const amountError = fieldError(save.error, 'amount');
  const reasonError = fieldError(save.error, 'reason');
  return (
    <Dialog title={`Credit note for ${props.doc.number}`} open onClose={props.onClose}>
      <form onSubmit={submit}>
        <p className="muted">A draft credit note for {props.doc.client.name}, referring to {props.doc.number}. Check it, then send it like any document: once sent, it comes off what {props.doc.number} still owes, and anything beyond that is the client's credit.</p>
        <Field label={`Amount to credit (${props.doc.currency}, tax included)`} hint={`At most the invoice total, ${formatMoney(props.doc.total, props.doc.currency)}, less earlier credit notes.`} error={amountError}>
          {(id, hint) => <input id={id} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby={hint} aria-invalid={amountError !== null || undefined} />}
        </Field>
        <Field label="Reason" hint="Printed on the credit note's line." error={reasonError}>
          {(id, hint) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={hint} required maxLength={500} />}
        </Field>
        {amountError === null && reasonError === null ? <ErrorNote error={save.error} title="The credit note was not created" /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.busy} disabled={reason.trim() === ''}>
            Create credit note
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function SendDialog(props: { doc: BusinessDocument; onClose: () => void; onSent: (doc: BusinessDocument, run: Run, to: string) => void }): ReactNode {
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const save = useAction();
  useEffect(() => {
    // The client's email, when OpsLoop knows it, is the natural first choice.
    const controller = new AbortController();
    api<{ client: Client }>(`/api/clients/${props.doc.client.id}`, { signal: controller.signal }).then(
      (r) => setTo((current) => (current === '' ? (r.client.email ?? '') : current)),
      () => undefined,
    );
    return () => controller.abort();
  }, [props.doc.client.id]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      const result = await api<{ run: Run; document: BusinessDocument }>(`/api/documents/${props.doc.id}/send`, { method: 'POST', body: { to: to.trim(), ...(message.trim() === '' ? {} : { message: message.trim() }) } });
      props.onSent(result.document, result.run, to.trim());
    });
  };
  const toError = fieldError(save.error, 'to');
  return (
    <Dialog title={`Send ${props.doc.number} by email`} open onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <p className="muted">{props.doc.status === 'draft' || props.doc.status === 'awaiting_approval' ? 'It is marked sent, and goes out with its PDF' : 'It goes out again as it is, with its PDF'}{props.doc.kind === 'invoice' ? ' and its pay link.' : '.'}</p>
        <Field label="To" error={toError}>
          {(id, hint) => <input id={id} type="email" autoComplete="email" value={to} onChange={(e) => setTo(e.target.value)} aria-describedby={hint} aria-invalid={toError !== null || undefined} required />}
        </Field>
        <Field label="Message (optional)" hint="Replaces the standard text above the pay link." error={fieldError(save.error, 'message')}>
          {(id, hint) => <textarea id={id} rows={4} value={message} onChange={(e) => setMessage(e.target.value)} aria-describedby={hint} maxLength={5000} />}
        </Field>
        {toError === null ? <ErrorNote error={save.error} title="It was not sent" /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.busy} disabled={to.trim() === ''}>
            Send
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function PdfPreview(props: { id: string; title: string; version: number }): ReactNode {
  // The PDF's pages drawn as images by the server: a PDF in a frame shows nothing on many phones.
  const [urls, setUrls] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const made: string[] = [];
    let live = true;
    setUrls(null);
    setError(null);
    api<{ pages: { page: number }[] }>(`/api/documents/${props.id}/pages`)
      .then(async ({ pages }) => {
        for (const { page } of pages.slice(0, 10)) {
          const blob = await (await request(`/api/documents/${props.id}/pages/${page}`)).blob();
          if (!live) return;
          made.push(URL.createObjectURL(blob));
        }
        if (live) setUrls([...made]);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
      for (const url of made) URL.revokeObjectURL(url);
    };
  }, [props.id, props.version]);
  return (
    <Card title="PDF" className="pdf-card">
      <ErrorNote error={error} title="The PDF could not be made" />
      {urls === null && error === null ? <Loading label="Making the PDF…" /> : null}
      {urls === null ? null : (
        <div className="pdf-pages">
          {urls.map((url, i) => (
            <img key={url} className="pdf-page" src={url} alt={`${props.title}, page ${i + 1} of ${urls.length}`} />
          ))}
        </div>
      )}
    </Card>
  );
}

function PaymentDialog(props: { open: boolean; doc: BusinessDocument; onClose: () => void; onPaid: (doc: BusinessDocument) => void }): ReactNode {
  const outstanding = (Number(props.doc.total) - Number(props.doc.paid)).toFixed(2);
  const [amount, setAmount] = useState(outstanding);
  const [paidOn, setPaidOn] = useState(isoDay(new Date()));
  const [method, setMethod] = useState('bank_transfer');
  const [reference, setReference] = useState('');
  const save = useAction();
  useEffect(() => {
    if (props.open) setAmount(outstanding);
  }, [props.open, outstanding]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save.run(async () => {
      const result = await api<{ document: BusinessDocument }>(`/api/documents/${props.doc.id}/payments`, { method: 'POST', body: { amount: amount.trim(), paidOn, method, ...(reference.trim() === '' ? {} : { reference: reference.trim() }) } });
      props.onPaid(result.document);
    });
  };
  return (
    <Dialog title={`Record a payment for ${props.doc.number}`} open={props.open} onClose={props.onClose}>
      <form onSubmit={submit}>
        <Field label={`Amount (${props.doc.currency})`} hint={`Outstanding: ${formatMoney(outstanding, props.doc.currency)}`}>
          {(id, hint) => <input id={id} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby={hint} required />}
        </Field>
        <Field label="Paid on">{(id) => <input id={id} type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} required />}</Field>
        <Field label="Method">
          {(id) => (
            <select id={id} value={method} onChange={(e) => setMethod(e.target.value)}>
              <option value="bank_transfer">Bank transfer</option>
              <option value="card">Card</option>
              <option value="cash">Cash</option>
              <option value="stripe">Stripe</option>
              <option value="other">Other</option>
            </select>
          )}
        </Field>
        <Field label="Reference (optional)">{(id) => <input id={id} value={reference} onChange={(e) => setReference(e.target.value)} />}</Field>
        <ErrorNote error={save.error} title="The payment was not recorded" />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.busy}>
            Record payment
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

const examples = ['Invoice Acme Ltd $2,500 for website development due in 14 days', 'Quote Bright Bakery €1,200 for a new logo, valid 30 days', 'Invoice Nordic Tools 3 hours consulting at 120 EUR plus 21% VAT'];
const fieldNames: Record<string, string> = { kind: 'document kind', client: 'client', currency: 'currency', lines: 'lines', description: 'description', taxRate: 'tax rate', issueDate: 'issue date', dueDate: 'due date', validUntil: 'valid until', reference: 'reference' };

export function NewDocumentScreen(): ReactNode {
  useTitle('New from one sentence');
  const [sentence, setSentence] = useState('');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [saved, setSaved] = useState<BusinessDocument | null>(null);
  const read = useAction();
  const start = useAction();

  const low = draft === null ? [] : Object.entries(draft.confidence).filter(([, c]) => c < 0.8).map(([k]) => k);
  const preview: PreviewDocument | null =
    draft === null
      ? null
      : { id: 'draft', number: '(number on creation)', status: 'draft', client: { id: '', name: draft.client.name }, kind: draft.kind, currency: draft.currency, issueDate: draft.issueDate, dueDate: draft.dueDate, validUntil: draft.validUntil, reference: draft.reference, lines: draft.lines.map((l) => ({ ...l, unit: null, amount: (Number(l.quantity) * Number(l.unitPrice)).toFixed(2) })), subtotal: draft.subtotal, taxTotal: draft.taxTotal, total: draft.total, paid: '0.00' };

  const readSentence = (event: FormEvent): void => {
    event.preventDefault();
    setRun(null);
    setSaved(null);
    void read.run(async () => {
      const result = await api<{ draft: Draft }>('/api/documents/draft', { method: 'POST', body: { sentence: sentence.trim(), dryRun: true } });
      setDraft(result.draft);
      if (result.draft.client.email !== undefined && result.draft.client.email !== null) setEmail(result.draft.client.email);
    });
  };

  const send = (event: FormEvent): void => {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setEmailError("Enter the client's email address, for example billing@acme.example.");
      return;
    }
    setEmailError(null);
    void start.run(async () => {
      const result = await api<{ run: Run }>(`/api/workflows/${invoiceWorkflow}/runs`, { method: 'POST', body: { input: { sentence: sentence.trim(), to: email.trim() }, wait: 2000 } });
      setRun(result.run);
    });
  };

  const saveDraft = (): void => {
    void start.run(async () => {
      const result = await api<{ document: BusinessDocument }>('/api/documents/draft', { method: 'POST', body: { sentence: sentence.trim() } });
      setSaved(result.document);
    });
  };

  return (
    <div className="narrow">
      <PageHeader back={{ to: '/documents', label: 'Documents' }} title="New from one sentence" subtitle="Say what to bill; OpsLoop drafts it and shows you before anything is sent." />
      <Card>
        <form onSubmit={readSentence}>
          <Field label="What should the document say?" hint={<>For example: “{examples[0]}”.</>}>
            {(id, hint) => <textarea id={id} rows={3} value={sentence} onChange={(e) => setSentence(e.target.value)} aria-describedby={hint} required autoFocus />}
          </Field>
          <div className="chips" aria-label="Examples">
            {examples.map((ex) => (
              <button key={ex} type="button" className="chip" onClick={() => setSentence(ex)}>
                {ex}
              </button>
            ))}
          </div>
          <ErrorNote error={read.error} title="OpsLoop could not read that sentence" />
          <div className="form-actions">
            <Button type="submit" variant={draft === null ? 'primary' : 'secondary'} busy={read.busy} disabled={sentence.trim() === ''}>
              {draft === null ? 'Read it' : 'Read it again'}
            </Button>
          </div>
        </form>
      </Card>
      {draft === null || preview === null ? null : (
        <Card title="Check the draft">
          {low.length === 0 ? (
            <p className="muted">OpsLoop is confident about every field.</p>
          ) : (
            <Notice tone="warn">
              <span>
                Please check: <strong>{low.map((k) => fieldNames[k] ?? humanize(k)).join(', ')}</strong> — OpsLoop is not sure about {low.length === 1 ? 'it' : 'them'}. If something is wrong, change the sentence and read it again.
              </span>
            </Notice>
          )}
          <DocumentPreview doc={preview} lowConfidence={new Set(low.flatMap((k) => (k === 'lines' ? ['description'] : [k])))} />
          {run === null && saved === null ? (
            <form onSubmit={send} className="send-form" noValidate>
              {draft.kind === 'invoice' ? (
                <>
                  <Field label={`Client email for ${draft.client.name}`} error={emailError} hint="The invoice and its pay link go to this address once approved.">
                    {(id, hint) => <input id={id} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={hint} aria-invalid={emailError !== null || undefined} required />}
                  </Field>
                  <ErrorNote error={start.error} title="The invoice was not started" />
                  <div className="form-actions">
                    <Button type="submit" variant="primary" busy={start.busy}>
                      Create and send
                    </Button>
                    <Button variant="ghost" onClick={saveDraft}>
                      Only save the draft
                    </Button>
                  </div>
                </>
              ) : (
                <>
                  <p className="muted">This is a {humanize(draft.kind).toLowerCase()}: save it as a draft, then share its link from the document.</p>
                  <ErrorNote error={start.error} title="The draft was not saved" />
                  <div className="form-actions">
                    <Button variant="primary" busy={start.busy} onClick={saveDraft}>
                      Save the draft
                    </Button>
                  </div>
                </>
              )}
            </form>
          ) : null}
        </Card>
      )}
      {saved === null ? null : (
        <Notice tone="good">
          <span>
            Saved {humanize(saved.kind).toLowerCase()} {saved.number} as a draft.
          </span>
          <Link to={`/documents/${saved.id}`}>Open it</Link>
        </Notice>
      )}
      {run === null ? null : <RunOutcome run={run} />}
    </div>
  );
}

function RunOutcome(props: { run: Run }): ReactNode {
  const { run } = props;
  if (run.status === 'waiting' && run.waitingFor?.name === 'approval')
    return (
      <Notice tone="info">
        <span data-testid="run-outcome">
          Drafted. It <strong>waits for your approval in the Inbox</strong> before it is sent (a new client or a large amount is always checked by a person).
        </span>
        <Link to="/inbox">Go to the Inbox</Link>
        <Link to={`/runs/${run.id}`}>Watch the run</Link>
      </Notice>
    );
  if (run.status === 'exception')
    return (
      <div className="error-note" role="alert">
        <strong>The run stopped</strong>
        <p>{typeof run.error === 'object' && run.error !== null && 'message' in run.error ? String((run.error as { message: unknown }).message) : 'See the run for what went wrong.'}</p>
        <Link to={`/runs/${run.id}`}>Open the run</Link>
      </div>
    );
  return (
    <Notice tone="good">
      <span data-testid="run-outcome">{run.status === 'completed' ? 'Done: the invoice was sent.' : run.status === 'waiting' ? `Sent; the run now waits for ${run.waitingFor?.name ?? 'the next event'}.` : `The run is ${humanize(run.status).toLowerCase()}.`}</span>
      <Link to={`/runs/${run.id}`}>Watch the run</Link>
    </Notice>
  );
}
