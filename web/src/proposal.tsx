/** Showing what the AI or a step proposes: a business document as a document, anything else as facts. */
import type { ReactNode } from 'react';
import { formatDay, formatMoney, formatPercent, humanize } from './format.ts';
import type { BusinessDocument, Evidence, PreviewDocument, Reason } from './types.ts';
import { api } from './api.ts';
import { useResource } from './hooks.ts';
import { Facts, JsonBlock, Link } from './ui.tsx';

export function isDocumentLike(value: unknown): value is BusinessDocument {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.lines) && typeof v.total === 'string' && typeof v.client === 'object';
}

/** A document proposed for sending (the invoice-to-cash review step). */
export interface SendProposal {
  document: string;
  client: { name: string; email: string | null };
  to: string;
  total: string;
  currency: string;
  dueDate: string | null;
  newClient?: boolean;
  flagged?: boolean;
  anomalies?: { code: string; severity: string; message: string }[];
}

export function isSendProposal(value: unknown): value is SendProposal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.document === 'string' && typeof v.to === 'string' && typeof v.total === 'string' && typeof v.client === 'object' && v.client !== null;
}

/** What the read skill proposes: the fields of a document as printed, and its lines. */
export interface ReadProposal {
  vendor: string | null;
  documentNumber?: string | null;
  total: string | null;
  currency: string | null;
  lineItems: unknown[];
}

export function isReadProposal(value: unknown): value is ReadProposal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.lineItems) && 'vendor' in v && 'total' in v && (v.total === null || typeof v.total === 'string');
}

/** One line a person can scan: "Invoice INV-2026-0001 · Acme Ltd · $2,500.00". */
export function proposalSummary(value: unknown): string | null {
  if (isDocumentLike(value)) return [`${humanize(value.kind)} ${value.number ?? ''}`.trim(), value.client.name, formatMoney(value.total, value.currency)].join(' · ');
  if (isSendProposal(value)) return `Send ${value.document} to ${value.client.name} · ${formatMoney(value.total, value.currency)}`;
  if (isReadProposal(value)) {
    // The total is as printed ("€1,234.56", "RM 9.00"): with the currency known, show the amount once with its code.
    const amount = value.total === null ? null : value.currency === null ? value.total : value.total.replace(/^[^\d-]+|[^\d]+$/g, '');
    const total = amount === null ? null : value.currency === null ? amount : `${amount} ${value.currency}`;
    return [value.vendor ?? 'A document', value.documentNumber, total].filter((part) => part !== null && part !== undefined && part !== '').join(' · ');
  }
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    for (const key of ['subject', 'title', 'summary', 'label', 'name']) if (typeof v[key] === 'string') return v[key];
  }
  if (typeof value === 'string') return value.length > 140 ? `${value.slice(0, 140)}…` : value;
  return null;
}

export function DocumentPreview(props: { doc: PreviewDocument; lowConfidence?: Set<string> }): ReactNode {
  const { doc } = props;
  const low = (field: string): string => (props.lowConfidence?.has(field) === true ? ' low-confidence' : '');
  return (
    <div className="doc-preview">
      <div className="doc-preview-head">
        <div>
          <div className="doc-kind">
            {humanize(doc.kind)} {doc.number}
          </div>
          <div className={`doc-client${low('client')}`}>{doc.client.name}</div>
        </div>
        <div className="doc-total">
          <span className="muted">Total</span>
          <strong className={low('currency')}>{formatMoney(doc.total, doc.currency)}</strong>
        </div>
      </div>
      <table className="table compact">
        <caption className="sr-only">Lines</caption>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.lines.map((line, i) => (
            <tr key={i}>
              <td className={low('description')}>{line.description}</td>
              <td className="num">{line.quantity}</td>
              <td className="num">{formatMoney(line.unitPrice, doc.currency)}</td>
              <td className="num">{formatMoney(line.amount, doc.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="doc-meta">
        <span className={low('issueDate')}>Issued {formatDay(doc.issueDate)}</span>
        {doc.dueDate === null ? null : <span className={low('dueDate')}>Due {formatDay(doc.dueDate)}</span>}
        {doc.validUntil === null ? null : <span className={low('validUntil')}>Valid until {formatDay(doc.validUntil)}</span>}
        {doc.taxTotal !== '0.00' ? <span>Tax {formatMoney(doc.taxTotal, doc.currency)}</span> : null}
        {doc.reference === null ? null : <span className={low('reference')}>Ref. {doc.reference}</span>}
      </div>
    </div>
  );
}

function SendProposalView(props: { value: SendProposal }): ReactNode {
  const p = props.value;
  return (
    <div>
      <Facts
        items={[
          ['Document', <Link key="d" to={`/documents/${encodeURIComponent(p.document)}`}>{p.document}</Link>],
          ['Client', <span key="c">{p.client.name}{p.newClient === true ? <span className="badge tone-wait"> New client</span> : null}</span>],
          ['Send to', p.to],
          ['Amount', formatMoney(p.total, p.currency)],
          ['Due', formatDay(p.dueDate)],
        ]}
      />
      {p.anomalies === undefined || p.anomalies.length === 0 ? null : (
        <>
          <h4>What the flag check found</h4>
          <ul className="reasons">
            {p.anomalies.map((a, i) => (
              <li key={i}>
                <span className="reason-dot" aria-hidden="true" />
                <span>{a.message}</span>
                <span className="rule">{a.severity}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <DocumentLines number={p.document} />
    </div>
  );
}

/** The lines of the document behind a proposal, so the person sees what they approve. */
function DocumentLines(props: { number: string }): ReactNode {
  const doc = useResource((signal) => api<{ document: BusinessDocument }>(`/api/documents/${encodeURIComponent(props.number)}`, { signal }).then((r) => r.document), [props.number]);
  if (doc.data === undefined) return null;
  return (
    <div className="proposal-doc">
      <DocumentPreview doc={doc.data} />
    </div>
  );
}

export function ProposalView(props: { value: unknown }): ReactNode {
  const { value } = props;
  if (isDocumentLike(value)) return <DocumentPreview doc={value} />;
  if (isSendProposal(value)) return <SendProposalView value={value} />;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    const simple = entries.filter(([, v]) => v === null || typeof v !== 'object');
    const nested = entries.filter(([, v]) => v !== null && typeof v === 'object');
    return (
      <div>
        {simple.length === 0 ? null : <Facts items={simple.map(([k, v]) => [humanize(k), v === null ? '—' : String(v)])} />}
        {nested.map(([k, v]) => (
          <details key={k} className="nested">
            <summary>{humanize(k)}</summary>
            <JsonBlock value={v} label={humanize(k)} />
          </details>
        ))}
      </div>
    );
  }
  return <JsonBlock value={value} label="Proposed" />;
}

export function Reasons(props: { reasons: Reason[] | null }): ReactNode {
  const reasons = props.reasons ?? [];
  if (reasons.length === 0) return <p className="muted">This step always asks a person (its autonomy tier is review).</p>;
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={i}>
          <span className="reason-dot" aria-hidden="true" />
          <span>{r.message}</span>
          {r.rule === undefined ? null : <span className="rule">{r.policy === undefined ? r.rule : `${r.policy}/${r.rule}`}</span>}
        </li>
      ))}
    </ul>
  );
}

function evidenceText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(evidenceText).filter((text) => text !== null).join(' / ') || null;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    for (const key of ['text', 'span', 'quote', 'source', 'snippet']) if (typeof v[key] === 'string') return v[key];
  }
  return JSON.stringify(value);
}

/** AI evidence: overall confidence, and per field its confidence and the words it was read from. */
export function EvidenceView(props: { evidence: Evidence | null }): ReactNode {
  const e = props.evidence;
  const fields = e?.fieldConfidence ?? null;
  const spans = (e?.evidence ?? null) as Record<string, unknown> | null;
  const names = new Set<string>([...Object.keys(fields ?? {}), ...(spans !== null && typeof spans === 'object' && !Array.isArray(spans) ? Object.keys(spans) : [])]);
  if ((e?.confidence === null || e?.confidence === undefined) && names.size === 0) return <p className="muted">No AI was involved in this proposal: it was prepared by rules.</p>;
  return (
    <div>
      {e?.confidence === null || e?.confidence === undefined ? null : (
        <p>
          Overall confidence <strong>{formatPercent(e.confidence)}</strong>
        </p>
      )}
      {names.size === 0 ? null : (
        <table className="table compact">
          <caption className="sr-only">Fields read by the AI</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Confidence</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {[...names].map((name) => {
              const c = fields?.[name];
              return (
                <tr key={name}>
                  <td>{humanize(name)}</td>
                  <td>{c === undefined ? '—' : <ConfidenceMeter value={c} />}</td>
                  <td className="evidence">{evidenceText(spans !== null && typeof spans === 'object' ? spans[name] : null) ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function ConfidenceMeter(props: { value: number }): ReactNode {
  const pct = Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  const tone = props.value >= 0.9 ? 'good' : props.value >= 0.8 ? 'ok' : 'low';
  return (
    <span className={`meter meter-${tone}`}>
      <span className="meter-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span>{pct}%</span>
    </span>
  );
}
