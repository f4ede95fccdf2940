/**
 * A read document in the Inbox: the page image with each field's evidence highlighted, and the
 * fields beside it (below it on a phone). Hovering or focusing a field marks its box; hovering or
 * focusing a box marks its field. Without a page (the step read text) the fields stand alone.
 * From an email, the page is the attachment the fields were read from; fields read from the
 * email's text have no page, and the card says so.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { ApiError, api, request } from './api.ts';
import { formatPercent, humanize } from './format.ts';
import { useResource } from './hooks.ts';
import { ConfidenceMeter } from './proposal.tsx';
import type { Approval } from './types.ts';
import { Button, ErrorNote, Loading } from './ui.tsx';

/** The part of an email a value was read from (the server's `EvidenceSource`). */
export type SpanSource = { email: 'body' } | { email: 'attachment'; attachment: number[]; filename: string };

/** Where a value was read from: the words, and on a page their box `[x1,y1,…,x4,y4]`. */
export interface Span {
  text: string;
  page?: number;
  box?: number[];
  source?: SpanSource;
}

export interface ReadField {
  name: string;
  value: string | null;
  confidence: number | undefined;
  spans: Span[];
}

interface LineItem {
  description: string;
  quantity: number | null;
  amount: string | null;
}

interface PagesView {
  source: 'pdf' | 'image';
  filename: string | null;
  /** The email attachment shown, when the step was given an email. */
  attachment?: number[] | null;
  pages: { page: number; width: number; height: number }[];
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && typeof (value as Span).text === 'string' && typeof (value as { lineIndex?: unknown }).lineIndex === 'number';
}

const hasBox = (span: Span): span is Span & { box: number[]; page: number } => Array.isArray(span.box) && span.box.length === 8 && typeof span.page === 'number';

/**
 * The fields of a read proposal (the `read` skill's output with its per-field evidence), in the
 * order they were read; null for any other proposal.
 */
export function readFieldsOf(approval: Approval): ReadField[] | null {
  const proposed = approval.proposed;
  const spans = approval.evidence?.evidence;
  if (typeof proposed !== 'object' || proposed === null || typeof spans !== 'object' || spans === null || Array.isArray(spans)) return null;
  const evidence = spans as Record<string, unknown>;
  const isRead = Object.values(evidence).some((list) => Array.isArray(list) && list.length > 0 && list.every(isSpan));
  if (!isRead) return null;
  const confidence = approval.evidence?.fieldConfidence ?? {};
  const fields: ReadField[] = [];
  for (const [name, value] of Object.entries(proposed as Record<string, unknown>)) {
    if (value !== null && typeof value === 'object') continue;
    const list = evidence[name];
    fields.push({ name, value: value === null || value === undefined ? null : String(value), confidence: confidence[name], spans: Array.isArray(list) ? list.filter(isSpan) : [] });
  }
  return fields;
}

function lineItemsOf(proposed: unknown): LineItem[] {
  const items = (proposed as { lineItems?: unknown } | null)?.lineItems;
  return Array.isArray(items) ? items.filter((i): i is LineItem => typeof (i as LineItem | null)?.description === 'string') : [];
}

/** The part of an email the fields were read from, if they were read from an email (one part per reading). */
function sourceOf(fields: ReadField[]): SpanSource | undefined {
  for (const field of fields) for (const span of field.spans) if (span.source?.email === 'body' || span.source?.email === 'attachment') return span.source;
  return undefined;
}

/** Why there is no page image, in words, or null when the reading has a page. */
function noPageNote(source: SpanSource | undefined, boxed: boolean, error: unknown): string | null {
  if (source?.email === 'body') return 'Read from the text of the email, not from an attachment, so there is no page image to show.';
  if (source?.email === 'attachment') {
    const name = source.filename === '' ? 'an attachment of the email' : `the email attachment “${source.filename}”`;
    return boxed && error instanceof ApiError ? `Read from ${name}, but its page cannot be shown: ${error.message}` : `Read from ${name}, which has no page image to show.`;
  }
  return boxed ? 'There is no page image: the step read lines of text, not a file.' : null;
}

const tone = (confidence: number | undefined): string => (confidence === undefined ? 'ok' : confidence >= 0.9 ? 'good' : confidence >= 0.8 ? 'ok' : 'low');

export function ReadEvidence(props: { approval: Approval; fields: ReadField[] }): ReactNode {
  const { approval, fields } = props;
  const boxed = fields.some((f) => f.spans.some(hasBox));
  const pages = useResource((signal) => (boxed ? api<PagesView>(`/api/approvals/${approval.id}/pages`, { signal }) : Promise.resolve(null)), [approval.id, boxed]);
  const noPage = pages.data === null || (pages.error instanceof ApiError && pages.error.code === 'EVIDENCE_NO_DOCUMENT');
  const [active, setActive] = useState<string | null>(null);
  const firstPage = useMemo(() => fields.flatMap((f) => f.spans.filter(hasBox)).map((s) => s.page)[0] ?? 1, [fields]);
  const [page, setPage] = useState<number | null>(null);
  const shown = page ?? firstPage;
  const listRef = useRef<HTMLUListElement>(null);
  const lines = lineItemsOf(approval.proposed);
  const overall = approval.evidence?.confidence;
  const note = !boxed || noPage ? noPageNote(sourceOf(fields), boxed, pages.error) : null;

  const activate = (name: string, move: boolean): void => {
    setActive(name);
    const onPage = fields.find((f) => f.name === name)?.spans.find(hasBox)?.page;
    if (move && onPage !== undefined) setPage(onPage);
  };
  const deactivate = (name: string): void => setActive((current) => (current === name ? null : current));
  const focusField = (name: string): void => listRef.current?.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`)?.focus();

  const withPages = pages.data !== undefined && pages.data !== null;
  return (
    <div className="read-evidence-wrap">
      {overall === null || overall === undefined ? null : (
        <p className="read-overall">
          Overall confidence <strong>{formatPercent(overall)}</strong>
          {withPages ? <span className="muted"> · choose a field to see where it was read</span> : null}
        </p>
      )}
      <div className={`read-evidence${boxed && !noPage ? ' with-page' : ''}`}>
        {boxed && !noPage ? (
          <div className="read-page-col">
            <ErrorNote error={pages.error} title="The page could not be shown" onRetry={pages.reload} />
            {pages.data === undefined && pages.error === null ? <Loading label="Opening the document…" /> : null}
            {withPages ? <PageView approvalId={approval.id} view={pages.data as PagesView} page={shown} setPage={setPage} fields={fields} active={active} activate={activate} deactivate={deactivate} focusField={focusField} /> : null}
          </div>
        ) : null}
        <div className="read-fields-col">
          <ul className="read-fields" ref={listRef} aria-label="Fields read from the document">
            {fields.map((field) => (
              <FieldRow key={field.name} field={field} active={active === field.name} linked={withPages && field.spans.some(hasBox)} multiPage={withPages && (pages.data?.pages.length ?? 0) > 1} activate={activate} deactivate={deactivate} />
            ))}
          </ul>
          {lines.length === 0 ? null : (
            <table className="table compact read-lines">
              <caption>Lines read</caption>
              <thead>
                <tr>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line, i) => (
                  <tr key={i}>
                    <td>{line.description}</td>
                    <td className="num">{line.quantity ?? '—'}</td>
                    <td className="num">{line.amount ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {note === null ? null : (
            <p className="muted small read-no-page" role="note">
              {note}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function FieldRow(props: { field: ReadField; active: boolean; linked: boolean; multiPage: boolean; activate: (name: string, move: boolean) => void; deactivate: (name: string) => void }): ReactNode {
  const { field } = props;
  const label = humanize(field.name);
  const where = field.spans.map((s) => s.text).join(' / ');
  const page = field.spans.find(hasBox)?.page;
  // The words it was read from, when they say more than the value itself.
  const squash = (text: string) => text.replace(/[\s/]+/g, '').toLowerCase();
  const source = where === '' || squash(where) === squash(field.value ?? '') ? null : `“${where}”`;
  const onPage = props.multiPage && page !== undefined ? `page ${page}` : null;
  const body = (
    <>
      <span className="read-field-head">
        <span className="read-field-name">{label}</span>
        {field.confidence === undefined ? null : <ConfidenceMeter value={field.confidence} />}
      </span>
      <span className={`read-field-value${field.value === null ? ' missing' : ''}`}>{field.value ?? 'Not found'}</span>
      {source === null && onPage === null ? null : <span className="read-field-source">{[source === null ? null : `read from ${source}`, onPage].filter((part) => part !== null).join(' · ')}</span>}
    </>
  );
  if (!props.linked) {
    return (
      <li className="read-field-row">
        <div className="read-field">{body}</div>
      </li>
    );
  }
  return (
    <li className={`read-field-row${props.active ? ' active' : ''}`}>
      <button
        type="button"
        className="read-field"
        data-field={field.name}
        data-active={props.active || undefined}
        aria-label={`${label}: ${field.value ?? 'not found'}${field.confidence === undefined ? '' : `, ${formatPercent(field.confidence)} confidence`}. Show where it was read`}
        onMouseEnter={() => props.activate(field.name, false)}
        onMouseLeave={() => props.deactivate(field.name)}
        onFocus={() => props.activate(field.name, true)}
        onBlur={() => props.deactivate(field.name)}
        onClick={() => props.activate(field.name, true)}
      >
        {body}
      </button>
    </li>
  );
}

function PageView(props: {
  approvalId: string;
  view: PagesView;
  page: number;
  setPage: (page: number) => void;
  fields: ReadField[];
  active: string | null;
  activate: (name: string, move: boolean) => void;
  deactivate: (name: string) => void;
  focusField: (name: string) => void;
}): ReactNode {
  const { view, page } = props;
  const size = view.pages.find((p) => p.page === page) ?? view.pages[0];
  const [image, setImage] = useState<{ page: number; url: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    setError(null);
    request(`/api/approvals/${props.approvalId}/pages/${page}`)
      .then((r) => r.blob())
      .then((blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setImage({ page, url: objectUrl });
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [props.approvalId, page, attempt]);

  if (size === undefined) return null;
  const name = view.filename ?? (view.source === 'pdf' ? 'the PDF' : 'the image');
  const fromEmail = view.attachment !== undefined && view.attachment !== null;
  const label = fromEmail ? `Attached to the email: ${view.filename ?? 'a file'}` : (view.filename ?? (view.source === 'pdf' ? 'PDF' : 'Image'));
  const pad = size.width * 0.004;
  const boxes = props.fields.flatMap((field) =>
    field.spans
      .filter(hasBox)
      .filter((span) => span.page === page)
      .map((span, index) => {
        const xs = span.box.filter((_, i) => i % 2 === 0);
        const ys = span.box.filter((_, i) => i % 2 === 1);
        const x0 = Math.max(0, Math.min(...xs) - pad);
        const y0 = Math.max(0, Math.min(...ys) - pad);
        const x1 = Math.min(size.width, Math.max(...xs) + pad);
        const y1 = Math.min(size.height, Math.max(...ys) + pad);
        const style: CSSProperties = { left: `${(x0 / size.width) * 100}%`, top: `${(y0 / size.height) * 100}%`, width: `${((x1 - x0) / size.width) * 100}%`, height: `${((y1 - y0) / size.height) * 100}%` };
        return { field, index, style };
      }),
  );
  const ready = image !== null && image.page === page;
  return (
    <figure className="read-page">
      <div className="page-frame" style={{ aspectRatio: `${size.width} / ${size.height}`, ['--page-aspect' as string]: size.width / size.height }}>
        {ready ? <img src={image.url} alt={`Page ${page} of ${name}`} /> : null}
        {!ready && error === null ? <Loading label="Drawing the page…" /> : null}
        <ErrorNote error={error} title="The page could not be shown" onRetry={() => setAttempt((a) => a + 1)} />
        {boxes.map(({ field, index, style }) => {
          const active = props.active === field.name;
          const className = `evidence-box tone-${tone(field.confidence)}${active ? ' active' : ''}`;
          const label = humanize(field.name);
          // The first box of a field is the one a keyboard reaches; more lines of it are drawn only.
          return index === 0 ? (
            <button
              type="button"
              key={`${field.name}-${index}`}
              className={className}
              style={style}
              data-field={field.name}
              data-active={active || undefined}
              aria-label={`${label}: ${field.value ?? 'not found'}, read from “${field.spans.map((s) => s.text).join(' / ')}”`}
              onMouseEnter={() => props.activate(field.name, false)}
              onMouseLeave={() => props.deactivate(field.name)}
              onFocus={() => props.activate(field.name, false)}
              onBlur={() => props.deactivate(field.name)}
              onClick={() => props.focusField(field.name)}
            >
              {active ? (
                <span className="evidence-tag" aria-hidden="true">
                  {label}
                </span>
              ) : null}
            </button>
          ) : (
            <span key={`${field.name}-${index}`} className={className} style={style} aria-hidden="true" />
          );
        })}
      </div>
      <figcaption className="read-page-caption">
        {view.pages.length > 1 ? (
          <span className="read-pager">
            <Button variant="ghost" className="small-btn" disabled={page <= 1} onClick={() => props.setPage(page - 1)} aria-label="Previous page">
              ‹
            </Button>
            <span aria-live="polite">
              Page {page} of {view.pages.length}
            </span>
            <Button variant="ghost" className="small-btn" disabled={page >= view.pages.length} onClick={() => props.setPage(page + 1)} aria-label="Next page">
              ›
            </Button>
          </span>
        ) : null}
        {view.pages.length === 1 || fromEmail ? <span className="muted">{label}</span> : null}
        {ready ? (
          <a href={image.url} target="_blank" rel="noreferrer" className="muted-link">
            Open full size
          </a>
        ) : null}
      </figcaption>
    </figure>
  );
}
