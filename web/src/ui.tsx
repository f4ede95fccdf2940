/** Small building blocks shared by the screens. */
import { useEffect, useId, useRef, type ReactNode, type MouseEvent, type ButtonHTMLAttributes } from 'react';
import { errorMessage, ApiError } from './api.ts';
import { humanize } from './format.ts';
import { navigate } from './router.ts';

export function Link(props: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined; onNavigate?: () => void }): ReactNode {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
    props.onNavigate?.();
  };
  return (
    <a href={props.to} className={props.className} onClick={onClick} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

export function PageHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode; back?: { to: string; label: string } }): ReactNode {
  return (
    <header className="page-header">
      <div>
        {props.back === undefined ? null : (
          <Link to={props.back.to} className="back-link">
            ← {props.back.label}
          </Link>
        )}
        <h1>{props.title}</h1>
        {props.subtitle === undefined ? null : <p className="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions === undefined ? null : <div className="page-actions">{props.actions}</div>}
    </header>
  );
}

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';
export function Button({ variant = 'secondary', busy = false, children, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }): ReactNode {
  return (
    <button type="button" {...rest} className={`btn btn-${variant}${className === undefined ? '' : ` ${className}`}`} disabled={rest.disabled === true || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

const statusTone: Record<string, string> = {
  completed: 'good',
  paid: 'good',
  approved: 'good',
  accepted: 'good',
  ok: 'good',
  waiting: 'wait',
  open: 'wait',
  awaiting_approval: 'wait',
  queued: 'neutral',
  running: 'info',
  sent: 'info',
  partially_paid: 'info',
  draft: 'neutral',
  exception: 'bad',
  failed: 'bad',
  overdue: 'bad',
  rejected: 'bad',
  timed_out: 'bad',
  cancelled: 'muted',
  void: 'muted',
  skipped: 'muted',
  declined: 'muted',
  expired: 'muted',
};

export function StatusBadge(props: { status: string; label?: string }): ReactNode {
  return <span className={`badge tone-${statusTone[props.status] ?? 'neutral'}`}>{props.label ?? humanize(props.status)}</span>;
}

export function Empty(props: { title: string; children?: ReactNode; action?: ReactNode }): ReactNode {
  return (
    <div className="empty">
      <h2>{props.title}</h2>
      {props.children === undefined ? null : <div className="empty-text">{props.children}</div>}
      {props.action === undefined ? null : <div className="empty-action">{props.action}</div>}
    </div>
  );
}

/** What went wrong and what to do: the server's message, plus a hint for common cases. */
export function ErrorNote(props: { error: unknown; onRetry?: () => void; title?: string }): ReactNode {
  if (props.error === null || props.error === undefined) return null;
  let hint: string | null = null;
  if (props.error instanceof ApiError) {
    if (props.error.status === 403) hint = 'Ask an owner or admin of this OpsLoop for a role that allows it.';
    else if (props.error.status === 409) hint = 'Someone or something changed it meanwhile: reload to see the current state.';
    else if (props.error.status >= 500) hint = 'The server log has the details.';
  }
  return (
    <div className="error-note" role="alert">
      <strong>{props.title ?? 'That did not work'}</strong>
      <p>{errorMessage(props.error)}</p>
      {hint === null ? null : <p className="muted">{hint}</p>}
      {props.onRetry === undefined ? null : (
        <Button variant="secondary" onClick={props.onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function Loading(props: { label?: string }): ReactNode {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </div>
  );
}

export function Field(props: { label: string; hint?: ReactNode; error?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode }): ReactNode {
  const id = useId();
  const hintId = props.hint === undefined && (props.error === undefined || props.error === null) ? undefined : `${id}-hint`;
  return (
    <div className={`field${props.error === undefined || props.error === null ? '' : ' field-error'}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, hintId)}
      {hintId === undefined ? null : (
        <p className="field-hint" id={hintId}>
          {props.error ?? props.hint}
        </p>
      )}
    </div>
  );
}

/** A modal dialog on the native <dialog>: focus is trapped, Escape closes it. */
export function Dialog(props: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const titleId = useId();
  return (
    <dialog ref={ref} className={`dialog${props.wide === true ? ' dialog-wide' : ''}`} aria-labelledby={titleId} onClose={props.onClose}>
      {props.open ? (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </div>
          <div className="dialog-body">{props.children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/** Any JSON, readable. */
export function JsonBlock(props: { value: unknown; label?: string }): ReactNode {
  if (props.value === null || props.value === undefined) return <p className="muted">Nothing</p>;
  return (
    <pre className="json" aria-label={props.label}>
      {typeof props.value === 'string' ? props.value : JSON.stringify(props.value, null, 2)}
    </pre>
  );
}

/** A flat object as a definition list; nested values as JSON. */
export function Facts(props: { items: [string, ReactNode][] }): ReactNode {
  return (
    <dl className="facts">
      {props.items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Card(props: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }): ReactNode {
  return (
    <section className={`card${props.className === undefined ? '' : ` ${props.className}`}`}>
      {props.title === undefined && props.actions === undefined ? null : (
        <div className="card-head">
          {props.title === undefined ? <span /> : <h2>{props.title}</h2>}
          {props.actions}
        </div>
      )}
      {props.children}
    </section>
  );
}

export function Notice(props: { children: ReactNode; tone?: 'info' | 'good' | 'warn' }): ReactNode {
  return (
    <div className={`notice notice-${props.tone ?? 'info'}`} role="status">
      {props.children}
    </div>
  );
}
