/**
 * The Inbox: what waits for a person. Approvals (what is proposed, why a person is asked, the AI's
 * evidence) and exceptions (runs that stopped), most urgent and newest first. One click approves;
 * edit-then-approve shows the diff; reject needs a reason. Keyboard: j/k move, a approve, e edit,
 * r reject, x select, ? help.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { applyEdits, changes, invalidNumbers, isLocked, leaves, pathKey, pathLabel, type FieldChange } from '../edit.ts';
import { formatDateTime, formatMoney, humanize, timeAgo } from '../format.ts';
import { useResource } from '../hooks.ts';
import { inboxChanged, useLiveChanges } from '../live.ts';
import { useMe } from '../me.ts';
import { EvidenceView, ProposalView, Reasons, proposalSummary } from '../proposal.tsx';
import { ReadEvidence, readFieldsOf } from '../read-evidence.tsx';
import { useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { Approval, Inbox, Run, RunException } from '../types.ts';
import { Button, Dialog, Empty, ErrorNote, Link, Loading, Notice, PageHeader } from '../ui.tsx';

type Item = { kind: 'approval'; id: string; at: number; urgent: boolean; approval: Approval } | { kind: 'exception'; id: string; at: number; urgent: boolean; exception: RunException };

function itemsOf(inbox: Inbox, now: number): Item[] {
  const items: Item[] = [
    ...inbox.approvals.map((a): Item => ({ kind: 'approval', id: a.id, at: Date.parse(a.createdAt ?? '') || 0, urgent: a.escalatedAt !== null || (a.dueAt !== null && Date.parse(a.dueAt) - now < 24 * 3_600_000), approval: a })),
    ...inbox.exceptions.map((e): Item => ({ kind: 'exception', id: e.id, at: Date.parse(e.createdAt) || 0, urgent: true, exception: e })),
  ];
  return items.sort((x, y) => Number(y.urgent) - Number(x.urgent) || y.at - x.at);
}

interface Toast {
  text: string;
  runId?: string;
}

export function InboxScreen(): ReactNode {
  useTitle('Inbox');
  const me = useMe();
  const mayDecide = can(me.user, 'reviewer');
  const inbox = useResource((signal) => api<Inbox>('/api/inbox', { signal }), []);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mode, setMode] = useState<{ id: string; kind: 'edit' | 'reject' } | null>(null);
  const [help, setHelp] = useState(false);
  const [toast, setToast] = useState<Toast | null>(null);
  const [bulkError, setBulkError] = useState<unknown>(null);
  const [bulkBusy, setBulkBusy] = useState(false);
  const [actionError, setActionError] = useState<{ id: string; error: unknown } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const items = useMemo(() => (inbox.data === undefined ? [] : itemsOf(inbox.data, Date.now())), [inbox.data]);
  const current = items[Math.min(focus, Math.max(items.length - 1, 0))];

  useLiveChanges(useCallback(() => inbox.reload(), [inbox.reload]));
  useEffect(() => {
    if (inbox.data !== undefined) inboxChanged(inbox.data.count);
  }, [inbox.data]);
  useEffect(() => {
    if (focus >= items.length && items.length > 0) setFocus(items.length - 1);
    setSelected((s) => {
      const ids = new Set(items.map((i) => i.id));
      const next = new Set([...s].filter((id) => ids.has(id)));
      return next.size === s.size ? s : next;
    });
  }, [items, focus]);

  const moveTo = (index: number): void => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setFocus(next);
    const el = listRef.current?.querySelectorAll<HTMLElement>(':scope > li > article')[next];
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  };

  const approve = async (approval: Approval, data?: unknown): Promise<void> => {
    setBusyId(approval.id);
    setActionError(null);
    try {
      await api(`/api/approvals/${approval.id}/approve`, { method: 'POST', body: data === undefined ? {} : { data } });
      setMode(null);
      setToast({ text: `Approved${data === undefined ? '' : ' with your changes'}: ${proposalSummary(approval.proposed) ?? approval.title}. The run continues.`, runId: approval.runId });
      inbox.reload();
    } catch (error) {
      setActionError({ id: approval.id, error });
    } finally {
      setBusyId(null);
    }
  };

  const reject = async (approval: Approval, reason: string): Promise<void> => {
    setBusyId(approval.id);
    setActionError(null);
    try {
      await api(`/api/approvals/${approval.id}/reject`, { method: 'POST', body: { reason } });
      setMode(null);
      setToast({ text: `Rejected: ${proposalSummary(approval.proposed) ?? approval.title}.`, runId: approval.runId });
      inbox.reload();
    } catch (error) {
      setActionError({ id: approval.id, error });
    } finally {
      setBusyId(null);
    }
  };

  const resolve = async (exception: RunException, action: 'retry' | 'skip' | 'cancel' | 'handled', note?: string): Promise<void> => {
    setBusyId(exception.id);
    setActionError(null);
    try {
      if (action === 'handled' || exception.runId === null) {
        await api(`/api/exceptions/${exception.id}/handled`, { method: 'POST', body: { note: note ?? '' } });
        setToast({ text: `Marked handled: ${humanize(exception.code ?? exception.kind)}.` });
      } else {
        const result = await api<{ run: Run }>(`/api/exceptions/${exception.runId}/${action}`, { method: 'POST' });
        setToast({ text: `${humanize(action)}: the run is now ${humanize(result.run.status).toLowerCase()}.`, runId: exception.runId });
      }
      inbox.reload();
    } catch (error) {
      setActionError({ id: exception.id, error });
    } finally {
      setBusyId(null);
    }
  };

  const approveSelected = async (): Promise<void> => {
    setBulkBusy(true);
    setBulkError(null);
    try {
      const ids = [...selected];
      const { results } = await api<{ results: { id: string; ok: boolean; error?: { message: string } }[] }>('/api/approvals/bulk-approve', { method: 'POST', body: { ids } });
      const failed = results.filter((r) => !r.ok);
      setSelected(new Set(failed.map((f) => f.id)));
      setToast({ text: failed.length === 0 ? `Approved ${results.length} ${results.length === 1 ? 'item' : 'items'}.` : `Approved ${results.length - failed.length}; ${failed.length} could not be approved: ${failed.map((f) => f.error?.message ?? 'unknown error').join('; ')}` });
      inbox.reload();
    } catch (error) {
      setBulkError(error);
    } finally {
      setBulkBusy(false);
    }
  };

  const toggle = (id: string): void =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // Keyboard shortcuts, unless the person is typing or a dialog is open.
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement | null;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (target !== null && (target.closest('input, textarea, select, [contenteditable="true"]') !== null || target.closest('dialog[open]') !== null)) return;
    if (event.key === '?') {
      event.preventDefault();
      setHelp((h) => !h);
      return;
    }
    if (event.key === 'Escape' && mode !== null) {
      setMode(null);
      return;
    }
    if (items.length === 0 || current === undefined) return;
    const index = items.indexOf(current);
    switch (event.key) {
      case 'j':
        event.preventDefault();
        moveTo(index + 1);
        break;
      case 'k':
        event.preventDefault();
        moveTo(index - 1);
        break;
      case 'x':
        if (current.kind === 'approval') {
          event.preventDefault();
          toggle(current.id);
        }
        break;
      case 'a':
        if (current.kind === 'approval' && mayDecide && mode === null) {
          event.preventDefault();
          void approve(current.approval);
        }
        break;
      case 'e':
        if (current.kind === 'approval' && mayDecide) {
          event.preventDefault();
          setMode({ id: current.id, kind: 'edit' });
        }
        break;
      case 'r':
        if (current.kind === 'approval' && mayDecide) {
          event.preventDefault();
          setMode({ id: current.id, kind: 'reject' });
        }
        break;
      default:
        break;
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => keys.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const approvals = items.filter((i) => i.kind === 'approval');
  const allSelected = approvals.length > 0 && approvals.every((i) => selected.has(i.id));

  return (
    <div className="inbox">
      <PageHeader
        title="Inbox"
        subtitle={inbox.data === undefined ? 'What waits for you' : inbox.data.count === 0 ? 'Nothing waits for you' : `${inbox.data.count} ${inbox.data.count === 1 ? 'thing waits' : 'things wait'} for a person`}
        actions={
          <Button variant="ghost" className="kbd-help" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            Keyboard shortcuts <kbd>?</kbd>
          </Button>
        }
      />
      {toast === null ? null : (
        <Notice tone="good">
          <span>{toast.text}</span>
          {toast.runId === undefined ? null : <Link to={`/runs/${toast.runId}`}>Watch the run</Link>}
          <button type="button" className="icon-btn small" aria-label="Dismiss message" onClick={() => setToast(null)}>
            ×
          </button>
        </Notice>
      )}
      <ErrorNote error={inbox.error} onRetry={inbox.reload} title="The inbox could not be loaded" />
      {inbox.data === undefined && inbox.error === null ? <Loading /> : null}
      {inbox.data !== undefined && items.length === 0 ? (
        <Empty title="You are all caught up">
          <p>When OpsLoop prepares something that needs a person — an invoice for a new client, a large amount, a reading it is not sure about — it waits here for your approval. Runs that stop on an error show up here too.</p>
          <p>
            Try it: <Link to="/documents/new">create an invoice from one sentence</Link>.
          </p>
        </Empty>
      ) : null}
      {approvals.length > 0 && mayDecide ? (
        <div className="bulk-bar" role="region" aria-label="Bulk actions">
          <label className="check">
            <input type="checkbox" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(approvals.map((a) => a.id)))} />
            <span>Select all approvals</span>
          </label>
          <span className="muted" aria-live="polite">
            {selected.size === 0 ? 'None selected' : `${selected.size} selected`}
          </span>
          <Button variant="primary" disabled={selected.size === 0} busy={bulkBusy} onClick={() => void approveSelected()}>
            Approve selected
          </Button>
        </div>
      ) : null}
      <ErrorNote error={bulkError} title="Bulk approval failed" />
      <ol className="inbox-list" ref={listRef} aria-label="Waiting items">
        {items.map((item, index) => (
          <li key={item.id}>
            {item.kind === 'approval' ? (
              <ApprovalCard
                approval={item.approval}
                urgent={item.urgent}
                focused={current?.id === item.id}
                onFocus={() => setFocus(index)}
                selected={selected.has(item.id)}
                onToggle={() => toggle(item.id)}
                mode={mode?.id === item.id ? mode.kind : null}
                setMode={(kind) => setMode(kind === null ? null : { id: item.id, kind })}
                mayDecide={mayDecide}
                busy={busyId === item.id}
                error={actionError?.id === item.id ? actionError.error : null}
                onApprove={(data) => void approve(item.approval, data)}
                onReject={(reason) => void reject(item.approval, reason)}
              />
            ) : (
              <ExceptionCard exception={item.exception} focused={current?.id === item.id} onFocus={() => setFocus(index)} mayResolve={can(me.user, 'admin')} busy={busyId === item.id} error={actionError?.id === item.id ? actionError.error : null} onResolve={(action, note) => void resolve(item.exception, action, note)} />
            )}
          </li>
        ))}
      </ol>
      <Dialog title="Keyboard shortcuts" open={help} onClose={() => setHelp(false)}>
        <table className="table shortcuts">
          <caption className="sr-only">Inbox keyboard shortcuts</caption>
          <tbody>
            {[
              ['j', 'Next item'],
              ['k', 'Previous item'],
              ['a', 'Approve the current item'],
              ['e', 'Edit, then approve'],
              ['r', 'Reject with a reason'],
              ['x', 'Select or unselect for bulk approval'],
              ['?', 'Show or hide this help'],
              ['Esc', 'Close an editor or this help'],
            ].map(([key, text]) => (
              <tr key={key}>
                <td>
                  <kbd>{key}</kbd>
                </td>
                <td>{text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Dialog>
    </div>
  );
}

function ApprovalCard(props: {
  approval: Approval;
  urgent: boolean;
  focused: boolean;
  onFocus: () => void;
  selected: boolean;
  onToggle: () => void;
  mode: 'edit' | 'reject' | null;
  setMode: (mode: 'edit' | 'reject' | null) => void;
  mayDecide: boolean;
  busy: boolean;
  error: unknown;
  onApprove: (data?: unknown) => void;
  onReject: (reason: string) => void;
}): ReactNode {
  const { approval: a } = props;
  const summary = proposalSummary(a.proposed) ?? humanize(a.title);
  const headingId = `approval-${a.id}`;
  const readFields = useMemo(() => readFieldsOf(a), [a]);
  return (
    <article className={`inbox-card${props.focused ? ' focused' : ''}${props.urgent ? ' urgent' : ''}`} tabIndex={-1} aria-labelledby={headingId} onFocusCapture={props.onFocus} onClick={props.onFocus} data-testid="approval">
      <div className="inbox-card-head">
        {props.mayDecide ? (
          <label className="check">
            <input type="checkbox" checked={props.selected} onChange={props.onToggle} aria-label={`Select ${summary}`} />
          </label>
        ) : null}
        <div className="inbox-card-title">
          <div className="eyebrow">
            <span className="kind-pill">Approval</span>
            <Link to={`/workflows/${a.workflowId}`}>{humanize(a.workflowId)}</Link>
            <span aria-hidden="true">·</span>
            <span>step {a.stepId}</span>
            {a.escalatedAt === null ? null : <span className="badge tone-bad">Escalated</span>}
          </div>
          <h2 id={headingId}>{summary}</h2>
          <div className="muted small">
            Asked {timeAgo(a.createdAt)}
            {a.assignee === null ? '' : ` · for ${a.assignee}`}
            {a.dueAt === null ? '' : ` · decide by ${formatDateTime(a.dueAt)}`}
            {a.amount === null ? '' : ` · ${formatMoney(a.amount, a.currency)}`}
          </div>
        </div>
      </div>
      <div className="inbox-card-why">
        <h3>Why you are asked</h3>
        <Reasons reasons={a.reasons} />
      </div>
      {(props.focused || props.mode !== null) && readFields !== null ? (
        <section className="inbox-card-body read" aria-labelledby={`${headingId}-read`}>
          <h3 id={`${headingId}-read`}>Read from the document</h3>
          <ReadEvidence approval={a} fields={readFields} />
        </section>
      ) : props.focused || props.mode !== null ? (
        <div className="inbox-card-body">
          <section>
            <h3>Proposed</h3>
            <ProposalView value={a.proposed} />
          </section>
          <section>
            <h3>AI evidence</h3>
            <EvidenceView evidence={a.evidence} />
          </section>
        </div>
      ) : null}
      <ErrorNote error={props.error} title="The decision was not saved" />
      {props.mode === 'edit' ? <EditPanel approval={a} busy={props.busy} onCancel={() => props.setMode(null)} onApprove={(data) => props.onApprove(data)} /> : null}
      {props.mode === 'reject' ? <RejectPanel busy={props.busy} summary={summary} onCancel={() => props.setMode(null)} onReject={props.onReject} /> : null}
      {props.mode === null && props.mayDecide ? (
        <div className="inbox-actions">
          <Button variant="primary" busy={props.busy} onClick={() => props.onApprove()} aria-keyshortcuts="a" aria-label={`Approve ${summary}`}>
            Approve
          </Button>
          <Button onClick={() => props.setMode('edit')} aria-keyshortcuts="e" aria-label={`Edit ${summary}, then approve`}>
            Edit
          </Button>
          <Button variant="ghost" onClick={() => props.setMode('reject')} aria-keyshortcuts="r" aria-label={`Reject ${summary}`}>
            Reject
          </Button>
          <Link to={`/runs/${a.runId}`} className="muted-link">
            Open run
          </Link>
        </div>
      ) : null}
      {!props.mayDecide ? <p className="muted small">You can look but not decide: deciding needs the reviewer role.</p> : null}
    </article>
  );
}

function EditPanel(props: { approval: Approval; busy: boolean; onCancel: () => void; onApprove: (data: unknown) => void }): ReactNode {
  const original = useMemo(() => leaves(props.approval.proposed), [props.approval.proposed]);
  const [edits, setEdits] = useState<Map<string, string>>(new Map());
  const edited = useMemo(() => applyEdits(props.approval.proposed, edits, original), [props.approval.proposed, edits, original]);
  const diff: FieldChange[] = useMemo(() => changes(props.approval.proposed, edited), [props.approval.proposed, edited]);
  const bad = invalidNumbers(edits, original);
  const editable = original.filter((l) => !isLocked(l.path));
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  return (
    <form
      className="panel edit-panel"
      aria-label="Edit, then approve"
      onSubmit={(e) => {
        e.preventDefault();
        if (bad.length === 0 && diff.length > 0) props.onApprove(edited);
      }}
    >
      <h3>Edit, then approve</h3>
      <p className="muted small">Change what is wrong; the changes are kept with the approval and teach OpsLoop for next time.</p>
      <div className="edit-grid">
        {editable.map((leaf, i) => {
          const key = pathKey(leaf.path);
          const value = edits.get(key) ?? (leaf.value === null ? '' : String(leaf.value));
          const id = `edit-${props.approval.id}-${i}`;
          return (
            <div className="field" key={key}>
              <label htmlFor={id}>{pathLabel(leaf.path) || 'Value'}</label>
              <input
                id={id}
                ref={i === 0 ? first : undefined}
                value={value}
                inputMode={typeof leaf.value === 'number' ? 'decimal' : undefined}
                aria-invalid={bad.some((p) => pathKey(p) === key) || undefined}
                onChange={(e) =>
                  setEdits((m) => {
                    const next = new Map(m);
                    next.set(key, e.target.value);
                    return next;
                  })
                }
              />
            </div>
          );
        })}
      </div>
      <div className="diff" aria-live="polite">
        <h4>Changes</h4>
        {diff.length === 0 ? (
          <p className="muted small">No changes yet.</p>
        ) : (
          <ul>
            {diff.map((c) => (
              <li key={pathKey(c.path)}>
                <span className="diff-path">{pathLabel(c.path)}</span> <del>{String(c.from ?? '—')}</del> → <ins>{String(c.to ?? '—')}</ins>
              </li>
            ))}
          </ul>
        )}
        {bad.length === 0 ? null : (
          <p className="form-error" role="alert">
            {bad.map(pathLabel).join(', ')}: must be a number.
          </p>
        )}
      </div>
      <div className="inbox-actions">
        <Button type="submit" variant="primary" busy={props.busy} disabled={diff.length === 0 || bad.length > 0}>
          Approve with changes
        </Button>
        <Button variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function RejectPanel(props: { busy: boolean; summary: string; onCancel: () => void; onReject: (reason: string) => void }): ReactNode {
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const missing = reason.trim() === '';
  return (
    <form
      className="panel reject-panel"
      aria-label={`Reject ${props.summary}`}
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!missing) props.onReject(reason.trim());
      }}
    >
      <div className="field">
        <label htmlFor="reject-reason">Why is it rejected?</label>
        <textarea id="reject-reason" ref={ref} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={(tried && missing) || undefined} aria-describedby="reject-hint" />
        <p className="field-hint" id="reject-hint">
          {tried && missing ? 'Say why, so the person who set this up can fix it.' : 'The reason is kept in the audit trail and shown on the run.'}
        </p>
      </div>
      <div className="inbox-actions">
        <Button type="submit" variant="danger" busy={props.busy}>
          Reject
        </Button>
        <Button variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function ExceptionCard(props: { exception: RunException; focused: boolean; onFocus: () => void; mayResolve: boolean; busy: boolean; error: unknown; onResolve: (action: 'retry' | 'skip' | 'cancel' | 'handled', note?: string) => void }): ReactNode {
  const e = props.exception;
  const headingId = `exception-${e.id}`;
  const [note, setNote] = useState('');
  const noteId = `exception-note-${e.id}`;
  return (
    <article className={`inbox-card exception${props.focused ? ' focused' : ''}`} tabIndex={-1} aria-labelledby={headingId} onFocusCapture={props.onFocus} onClick={props.onFocus} data-testid="exception">
      <div className="inbox-card-head">
        <div className="inbox-card-title">
          <div className="eyebrow">
            <span className="kind-pill bad">Exception</span>
            <span>{humanize(e.kind)}</span>
            {e.stepId === null ? null : (
              <>
                <span aria-hidden="true">·</span>
                <span>step {e.stepId}</span>
              </>
            )}
          </div>
          <h2 id={headingId}>{e.runId === null ? `Needs you: ${humanize(e.code ?? e.kind)}` : e.code === null ? 'A run stopped' : `A run stopped: ${humanize(e.code)}`}</h2>
          <div className="muted small">
            {timeAgo(e.createdAt)}
            {e.owner === null ? '' : ` · owner ${e.owner}`}
          </div>
        </div>
      </div>
      <p className="exception-message">{e.message}</p>
      <ErrorNote error={props.error} title="That did not work" />
      {e.runId === null ? (
        <div className="inbox-actions">
          {props.mayResolve ? (
            <>
              <label htmlFor={noteId} className="sr-only">
                What was done
              </label>
              <input id={noteId} placeholder="What was done (e.g. refunded in Stripe)" value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} />
              <Button variant="primary" busy={props.busy} disabled={note.trim() === ''} onClick={() => props.onResolve('handled', note.trim())}>
                Mark handled
              </Button>
            </>
          ) : (
            <span className="muted small">An admin marks it handled once it is dealt with.</span>
          )}
        </div>
      ) : (
      <div className="inbox-actions">
        {props.mayResolve ? (
          <>
            <Button variant="primary" busy={props.busy} onClick={() => props.onResolve('retry')}>
              Retry
            </Button>
            <Button onClick={() => props.onResolve('skip')}>Skip step</Button>
            <Button variant="ghost" onClick={() => props.onResolve('cancel')}>
              Cancel run
            </Button>
          </>
        ) : (
          <span className="muted small">An admin can retry, skip or cancel it.</span>
        )}
        <Link to={`/runs/${e.runId}`} className="muted-link">
          Open run
        </Link>
      </div>
      )}
    </article>
  );
}
