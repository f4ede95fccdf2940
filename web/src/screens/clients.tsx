/** Clients: who you bill, how (email, payment terms, reminders) and what they still owe. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, errorField, fieldError } from '../api.ts';
import { formatDay, formatMoney, humanize } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { navigate, useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { BusinessDocument, Client } from '../types.ts';
import { Button, Card, Dialog, Empty, ErrorNote, Facts, Field, Link, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';

function owes(client: Client): string {
  if (client.openBalance.length === 0) return '—';
  return client.openBalance.map((b) => formatMoney(b.amount, b.currency)).join(' · ');
}

/** What issued credit notes left over after settling their invoices: the business owes it back. */
function credit(client: Client): string {
  return client.credit.map((b) => formatMoney(b.amount, b.currency)).join(' · ');
}

function terms(client: Client): string {
  return client.paymentTermsDays === null ? 'As invoiced' : client.paymentTermsDays === 0 ? 'On receipt' : `${client.paymentTermsDays} days`;
}

function reminders(client: Client): string {
  return client.reminderCadence === null ? 'Business default' : client.reminderCadence;
}

export function ClientsScreen(): ReactNode {
  useTitle('Clients');
  const me = useMe();
  const clients = useResource((signal) => api<{ clients: Client[] }>('/api/clients', { signal }).then((r) => r.clients), []);
  const [editing, setEditing] = useState<Client | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const list = clients.data ?? [];
  const admin = can(me.user, 'admin');

  return (
    <div>
      <PageHeader title="Clients" subtitle="Everyone you bill: how to reach them, their terms, and what they still owe." />
      <ErrorNote error={clients.error} onRetry={clients.reload} title="The clients could not be loaded" />
      {saved === null ? null : <Notice tone="good">Saved {saved}.</Notice>}
      {clients.data === undefined && clients.error === null ? <Loading /> : null}
      {clients.data !== undefined && list.length === 0 ? (
        <Empty title="No clients yet" action={admin ? <Button variant="primary" onClick={() => navigate('/documents/new')}>Create an invoice</Button> : undefined}>
          <p>A client appears here with their first document. OpsLoop asks you to approve the first invoice to a new client before it goes out.</p>
        </Empty>
      ) : null}
      {list.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Clients</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Email</th>
                <th scope="col">Terms</th>
                <th scope="col">Reminders</th>
                <th scope="col" className="num">
                  Invoices
                </th>
                <th scope="col">Last invoice</th>
                <th scope="col" className="num">
                  Owes you
                </th>
                {admin ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/clients/${c.id}`}>
                      <strong>{c.name}</strong>
                    </Link>
                  </td>
                  <td>{c.email ?? <span className="muted">—</span>}</td>
                  <td>{terms(c)}</td>
                  <td className={c.reminderCadence === null ? 'muted' : 'mono small'}>{reminders(c)}</td>
                  <td className="num">{c.invoiceCount}</td>
                  <td>{formatDay(c.lastInvoiceDate)}</td>
                  <td className="num">{owes(c)}</td>
                  {admin ? (
                    <td className="actions-cell">
                      <Button variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                        Edit
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing === null ? null : (
        <ClientDialog
          client={editing}
          onClose={() => setEditing(null)}
          onSaved={(client) => {
            setEditing(null);
            setSaved(client.name);
            clients.reload();
          }}
        />
      )}
    </div>
  );
}

export function ClientScreen(props: { id: string }): ReactNode {
  const me = useMe();
  const data = useResource((signal) => api<{ client: Client; documents: BusinessDocument[] }>(`/api/clients/${encodeURIComponent(props.id)}`, { signal }), [props.id]);
  const client = data.data?.client;
  useTitle(client?.name ?? 'Client');
  const [editing, setEditing] = useState(false);
  return (
    <div>
      <PageHeader
        back={{ to: '/clients', label: 'Clients' }}
        title={client?.name ?? 'Client'}
        actions={
          client !== undefined && can(me.user, 'admin') ? (
            <Button variant="primary" onClick={() => setEditing(true)}>
              Edit client
            </Button>
          ) : undefined
        }
      />
      <ErrorNote error={data.error} onRetry={data.reload} title="The client could not be loaded" />
      {data.data === undefined && data.error === null ? <Loading /> : null}
      {client === undefined ? null : (
        <>
          <Card title="Details">
            <Facts
              items={[
                ['Email', client.email ?? '—'],
                ['Contact', client.contact ?? '—'],
                ['Address', client.address ?? '—'],
                ['Tax ID', client.taxId ?? '—'],
                ['Currency', client.currency ?? 'As invoiced'],
                ['Payment terms', terms(client)],
                ['Reminders (days from the due date)', reminders(client)],
                ['Owes you', owes(client)],
                ...(client.credit.length === 0 ? [] : ([['Credit to refund or use', credit(client)]] as [string, string][])),
              ]}
            />
            {client.notes === null ? null : <p className="muted">{client.notes}</p>}
          </Card>
          <Card title="Documents">
            {data.data?.documents.length === 0 ? (
              <p className="muted">No documents yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Documents of {client.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Number</th>
                      <th scope="col">Status</th>
                      <th scope="col">Issued</th>
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.data?.documents.map((d) => (
                      <tr key={d.id}>
                        <td>
                          <Link to={`/documents/${d.id}`}>{d.number}</Link>
                          <span className="muted small"> {humanize(d.kind)}</span>
                        </td>
                        <td>
                          <StatusBadge status={d.status} />
                        </td>
                        <td>{formatDay(d.issueDate)}</td>
                        <td className="num">{formatMoney(d.total, d.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          {editing ? (
            <ClientDialog
              client={client}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                data.reload();
              }}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

interface ClientForm {
  email: string;
  contact: string;
  address: string;
  currency: string;
  paymentTermsDays: string;
  reminderCadence: string;
  notes: string;
}

const formOf = (c: Client): ClientForm => ({
  email: c.email ?? '',
  contact: c.contact ?? '',
  address: c.address ?? '',
  currency: c.currency ?? '',
  paymentTermsDays: c.paymentTermsDays === null ? '' : String(c.paymentTermsDays),
  reminderCadence: c.reminderCadence ?? '',
  notes: c.notes ?? '',
});

/** Edits a client; a field the server refuses shows its message beside that field. */
function ClientDialog(props: { client: Client; onClose: () => void; onSaved: (client: Client) => void }): ReactNode {
  const [form, setForm] = useState<ClientForm>(() => formOf(props.client));
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);
  const save = useAction();
  useEffect(() => setForm(formOf(props.client)), [props.client]);
  const set = (field: keyof ClientForm) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const errorFor = (field: keyof ClientForm): string | null => (localError?.field === field ? localError.message : fieldError(save.error, field));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setLocalError(null);
    const days = form.paymentTermsDays.trim();
    if (days !== '' && !/^\d+$/.test(days)) {
      setLocalError({ field: 'paymentTermsDays', message: 'Enter a whole number of days, such as 14, or leave it empty.' });
      return;
    }
    void save.run(async () => {
      const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());
      const body = {
        email: text(form.email),
        contact: text(form.contact),
        address: text(form.address),
        currency: text(form.currency),
        paymentTermsDays: days === '' ? null : Number(days),
        reminderCadence: text(form.reminderCadence),
        notes: text(form.notes),
      };
      const result = await api<{ client: Client }>(`/api/clients/${encodeURIComponent(props.client.id)}`, { method: 'PATCH', body });
      props.onSaved(result.client);
    });
  };
  const named = errorField(save.error);
  return (
    <Dialog title={`Edit ${props.client.name}`} open onClose={props.onClose} wide>
      <form onSubmit={submit} aria-label={`Edit ${props.client.name}`} noValidate>
        <div className="form-row">
          <Field label="Email" hint="Invoices and reminders go here." error={errorFor('email')}>
            {(id, hint) => <input id={id} type="email" autoComplete="off" value={form.email} onChange={set('email')} aria-describedby={hint} aria-invalid={errorFor('email') !== null || undefined} />}
          </Field>
          <Field label="Contact person" error={errorFor('contact')}>
            {(id, hint) => <input id={id} value={form.contact} onChange={set('contact')} aria-describedby={hint} />}
          </Field>
        </div>
        <Field label="Address" error={errorFor('address')}>
          {(id, hint) => <textarea id={id} rows={2} value={form.address} onChange={set('address')} aria-describedby={hint} />}
        </Field>
        <div className="form-row">
          <Field label="Payment terms (days)" hint="Empty: the due date each invoice is given." error={errorFor('paymentTermsDays')}>
            {(id, hint) => <input id={id} inputMode="numeric" value={form.paymentTermsDays} onChange={set('paymentTermsDays')} aria-describedby={hint} aria-invalid={errorFor('paymentTermsDays') !== null || undefined} />}
          </Field>
          <Field label="Currency" hint="ISO code such as EUR; empty: as invoiced." error={errorFor('currency')}>
            {(id, hint) => <input id={id} maxLength={3} value={form.currency} onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })} aria-describedby={hint} aria-invalid={errorFor('currency') !== null || undefined} />}
          </Field>
        </div>
        <Field label="Reminder cadence" hint="Days relative to the due date, e.g. -3,0,7,14,30. Empty: the business default." error={errorFor('reminderCadence')}>
          {(id, hint) => <input id={id} className="mono" value={form.reminderCadence} onChange={set('reminderCadence')} aria-describedby={hint} aria-invalid={errorFor('reminderCadence') !== null || undefined} placeholder="-3,0,7,14,30" />}
        </Field>
        <Field label="Notes" error={errorFor('notes')}>
          {(id, hint) => <textarea id={id} rows={2} value={form.notes} onChange={set('notes')} aria-describedby={hint} />}
        </Field>
        {save.error !== null && (named === null || !(named in form)) ? <ErrorNote error={save.error} title="The client was not saved" /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.busy}>
            Save client
          </Button>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
