/** Settings: your account and tokens, the people who use OpsLoop, policies, and how the server is set up. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, errorField, fieldError } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { useTitle } from '../router.ts';
import { can } from '../session.ts';
import type { ApiToken, BankDetails, BusinessSettings, Policy, Role, User } from '../types.ts';
import { Button, Card, Dialog, ErrorNote, Facts, Field, JsonBlock, Loading, Notice, PageHeader, StatusBadge } from '../ui.tsx';
import { AiSettingsCard, MailSettingsCard } from './settings-connections.tsx';
import { BankingSettingsCard } from './settings-banking.tsx';

export function SettingsScreen(): ReactNode {
  useTitle('Settings');
  const me = useMe();
  return (
    <div>
      <PageHeader title="Settings" subtitle="Your account, your team, the rules OpsLoop follows, and how it is set up." />
      <div className="grid-2">
        <Account />
        <ServerSetup />
      </div>
      <BusinessProfileCard />
      <div className="grid-2">
        <MailSettingsCard />
        <AiSettingsCard />
      </div>
      <BankingSettingsCard />
      {can(me.user, 'admin') ? <Users /> : null}
      <Policies />
    </div>
  );
}

function Account(): ReactNode {
  const me = useMe();
  const [name, setName] = useState('web app');
  const [token, setToken] = useState<string | null>(null);
  const create = useAction();
  const tokens = useResource((signal) => api<{ tokens: ApiToken[] }>('/api/tokens', { signal }).then((r) => r.tokens), []);
  const owner = can(me.user, 'owner');
  // An owner also sees everyone else's tokens, to revoke one a person left behind.
  const others = useResource((signal) => (owner ? api<{ tokens: ApiToken[] }>('/api/tokens/all', { signal }).then((r) => r.tokens.filter((tk) => tk.user !== me.user.email)) : Promise.resolve(null)), [owner, me.user.email]);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  return (
    <Card title="Your account">
      <Facts
        items={[
          ['Name', me.user.name ?? '—'],
          ['Email', me.user.email],
          ['Role', humanize(me.user.role)],
          ['Approval limit', me.user.approvalLimit === null || me.user.approvalLimit === undefined ? 'None' : `${me.user.approvalLimit} ${me.user.approvalLimitCurrency ?? ''}`],
        ]}
      />
      <h3>API tokens</h3>
      <p className="muted small">A token lets a script or another system use the API as you. It is shown once: keep it somewhere safe.</p>
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void create.run(async () => {
            const result = await api<{ token: string }>(`/api/users/${encodeURIComponent(me.user.email)}/tokens`, { method: 'POST', body: { name: name.trim() || 'api' } });
            setToken(result.token);
            setRevoked(null);
            tokens.reload();
          });
        }}
      >
        <Field label="Token name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />}</Field>
        <Button type="submit" busy={create.busy}>
          Create token
        </Button>
      </form>
      <ErrorNote error={create.error} title="The token was not created" />
      {token === null ? null : (
        <Notice tone="good">
          <span>
            Your new token (shown only now): <code className="token" data-testid="new-token">{token}</code>
          </span>
        </Notice>
      )}
      <ErrorNote error={tokens.error} onRetry={tokens.reload} title="Your tokens could not be loaded" />
      {revoked === null ? null : <Notice tone="good">Revoked {revoked}: it no longer works.</Notice>}
      {tokens.data === undefined ? null : tokens.data.length === 0 ? (
        <p className="muted small">You have no API tokens.</p>
      ) : (
        <ul className="plain-list" aria-label="Your API tokens">
          {tokens.data.map((tk) => (
            <li key={tk.id}>
              <div>
                <strong>{tk.name}</strong> <code className="small">{tk.prefix}…</code>
                <div className="muted small">
                  Created {formatDateTime(tk.createdAt)} · {tk.lastUsedAt === null ? 'never used' : `last used ${formatDateTime(tk.lastUsedAt)}`}
                </div>
              </div>
              <div className="row-actions">
                <Button variant="ghost" aria-label={`Revoke ${tk.name} (${tk.prefix}…)`} onClick={() => setRevoking(tk)}>
                  Revoke
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {others.data === undefined || others.data === null ? null : (
        <>
          <h3>Other people's API tokens</h3>
          <p className="muted small">As an owner you see everyone's tokens and can revoke any of them, for example one left behind by someone who moved on.</p>
          {others.data.length === 0 ? (
            <p className="muted small">Nobody else has an API token.</p>
          ) : (
            <ul className="plain-list" aria-label="Other people's API tokens">
              {others.data.map((tk) => (
                <li key={tk.id}>
                  <div>
                    <strong>{tk.name}</strong> <code className="small">{tk.prefix}…</code> <span className="small">of {tk.user}</span>
                    <div className="muted small">
                      Created {formatDateTime(tk.createdAt)} · {tk.lastUsedAt === null ? 'never used' : `last used ${formatDateTime(tk.lastUsedAt)}`}
                    </div>
                  </div>
                  <div className="row-actions">
                    <Button variant="ghost" aria-label={`Revoke ${tk.name} (${tk.prefix}…) of ${tk.user}`} onClick={() => setRevoking(tk)}>
                      Revoke
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {owner ? <ErrorNote error={others.error} onRetry={others.reload} title="Other people's tokens could not be loaded" /> : null}
      {revoking === null ? null : (
        <RevokeDialog
          token={revoking}
          mine={revoking.user === me.user.email}
          onClose={() => setRevoking(null)}
          onRevoked={(tk) => {
            setRevoking(null);
            setRevoked(`${tk.name} (${tk.prefix}…)${tk.user === me.user.email ? '' : ` of ${tk.user}`}`);
            if (token !== null && token.startsWith(tk.prefix)) setToken(null);
            tokens.reload();
            others.reload();
          }}
        />
      )}
    </Card>
  );
}

function RevokeDialog(props: { token: ApiToken; mine: boolean; onClose: () => void; onRevoked: (token: ApiToken) => void }): ReactNode {
  const revoke = useAction();
  return (
    <Dialog title={`Revoke ${props.token.name}?`} open onClose={props.onClose}>
      <p>
        Scripts and systems using {props.mine ? 'the' : `${props.token.user}'s`} token starting with <code>{props.token.prefix}…</code> stop working at once. This cannot be undone; {props.mine ? 'create a new token if you need one' : 'they can create a new one if they need it'}.
      </p>
      <ErrorNote error={revoke.error} title="The token was not revoked" />
      <div className="form-actions">
        <Button
          variant="danger"
          busy={revoke.busy}
          autoFocus
          onClick={() =>
            void revoke.run(async () => {
              const result = await api<{ token: ApiToken }>(`/api/tokens/${encodeURIComponent(props.token.id)}`, { method: 'DELETE' });
              props.onRevoked(result.token);
            })
          }
        >
          Revoke token
        </Button>
        <Button variant="ghost" onClick={props.onClose}>
          Keep it
        </Button>
      </div>
    </Dialog>
  );
}

function ServerSetup(): ReactNode {
  return (
    <Card title="Business, email and AI">
      <p className="muted">These are set where OpsLoop runs, with environment variables, and take effect on restart. The business profile, email and AI provider below override the environment's, at once.</p>
      <Facts
        items={[
          ['Business profile defaults', <code key="b">OPSLOOP_BUSINESS_NAME, OPSLOOP_BUSINESS_ADDRESS, OPSLOOP_BUSINESS_EMAIL, OPSLOOP_BANK_IBAN, …</code>],
          ['Outgoing email defaults', <code key="s">SMTP_URL, OPSLOOP_MAIL_FROM</code>],
          ['AI provider defaults', <code key="a">OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY, OPSLOOP_AI_*</code>],
          ['Time zone', <code key="t">OPSLOOP_TIMEZONE</code>],
        ]}
      />
      <p className="muted small">Without an AI provider OpsLoop uses its built-in offline AI, which learns from your corrections. Any OpenAI-compatible server works (Ollama, vLLM, LM Studio).</p>
    </Card>
  );
}

const roleHelp: Record<Role, string> = { owner: 'everything, including people', admin: 'workflows, policies, runs', reviewer: 'approves and rejects', viewer: 'looks only' };

function Users(): ReactNode {
  const me = useMe();
  const users = useResource((signal) => api<{ users: User[] }>('/api/users', { signal }), []);
  const [disabling, setDisabling] = useState<User | null>(null);
  const [changed, setChanged] = useState<string | null>(null);
  const toggle = useAction();
  const owner = can(me.user, 'owner');
  const setDisabled = (user: User, disabled: boolean): Promise<void> =>
    toggle.run(async () => {
      await api<{ user: User }>(`/api/users/${encodeURIComponent(user.email)}/${disabled ? 'disable' : 'enable'}`, { method: 'POST' });
      setDisabling(null);
      setChanged(`${user.email} is ${disabled ? 'disabled: signed out, no sign-in, no tokens' : 'enabled again'}.`);
      users.reload();
    });
  const [form, setForm] = useState({ email: '', name: '', role: 'reviewer' as Role, password: '' });
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setAdded(null);
    void add.run(async () => {
      const body = { email: form.email.trim(), role: form.role, ...(form.name.trim() === '' ? {} : { name: form.name.trim() }), ...(form.password === '' ? {} : { password: form.password }) };
      const result = await api<{ user: User }>('/api/users', { method: 'POST', body });
      setAdded(result.user.email);
      setForm({ email: '', name: '', role: 'reviewer', password: '' });
      users.reload();
    });
  };
  return (
    <Card title="People">
      <ErrorNote error={users.error} onRetry={users.reload} />
      {users.data === undefined && users.error === null ? <Loading /> : null}
      {users.data === undefined ? null : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">People who use OpsLoop</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Approval limit</th>
                <th scope="col">Status</th>
                {owner ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <tr key={u.email}>
                  <td>{u.name ?? '—'}</td>
                  <td>{u.email}</td>
                  <td>{humanize(u.role)}</td>
                  <td>{u.approvalLimit === null || u.approvalLimit === undefined ? '—' : `${u.approvalLimit} ${u.approvalLimitCurrency ?? ''}`}</td>
                  <td>{u.disabled === true ? <StatusBadge status="void" label="Disabled" /> : <StatusBadge status="ok" label="Active" />}</td>
                  {owner ? (
                    <td className="actions-cell">
                      {u.disabled === true ? (
                        <Button variant="ghost" aria-label={`Enable ${u.email}`} busy={toggle.busy} onClick={() => void setDisabled(u, false)}>
                          Enable
                        </Button>
                      ) : u.email === me.user.email ? null : (
                        <Button variant="ghost" aria-label={`Disable ${u.email}`} onClick={() => setDisabling(u)}>
                          Disable
                        </Button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {changed === null ? null : <Notice tone="good">{changed}</Notice>}
      {disabling === null ? <ErrorNote error={toggle.error} title="That did not change" /> : null}
      {disabling === null ? null : (
        <Dialog title={`Disable ${disabling.email}?`} open onClose={() => setDisabling(null)}>
          <p>They are signed out everywhere at once, cannot sign in, and their API tokens stop working. Their history stays. You can enable them again later.</p>
          <ErrorNote error={toggle.error} title="They were not disabled" />
          <div className="form-actions">
            <Button variant="danger" busy={toggle.busy} autoFocus onClick={() => void setDisabled(disabling, true)}>
              Disable {disabling.email}
            </Button>
            <Button variant="ghost" onClick={() => setDisabling(null)}>
              Cancel
            </Button>
          </div>
        </Dialog>
      )}
      {owner ? (
        <form className="add-user" onSubmit={submit}>
          <h3>Add a person</h3>
          <div className="form-row">
            <Field label="Email">{(id) => <input id={id} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />}</Field>
            <Field label="Name">{(id) => <input id={id} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
            <Field label="Role" hint={roleHelp[form.role]}>
              {(id, hint) => (
                <select id={id} value={form.role} aria-describedby={hint} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                  {(['viewer', 'reviewer', 'admin', 'owner'] as const).map((r) => (
                    <option key={r} value={r}>
                      {humanize(r)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Password (optional)" hint="At least 10 characters; without one they sign in with a token.">
              {(id, hint) => <input id={id} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} aria-describedby={hint} />}
            </Field>
          </div>
          <ErrorNote error={add.error} title="The person was not added" />
          {added === null ? null : <Notice tone="good">Added {added}.</Notice>}
          <Button type="submit" variant="primary" busy={add.busy}>
            Add person
          </Button>
        </form>
      ) : null}
    </Card>
  );
}

function ruleText(rule: Policy['definition']['rules'][number]): string {
  const details = Object.entries(rule)
    .filter(([k]) => k !== 'id' && k !== 'type' && k !== 'tier')
    .map(([k, v]) => `${humanize(k).toLowerCase()} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return `${humanize(rule.type)}${details === '' ? '' : ` (${details})`}${typeof rule.tier === 'string' ? ` → ${rule.tier}` : ''}`;
}

function Policies(): ReactNode {
  const me = useMe();
  const policies = useResource((signal) => api<{ policies: Policy[] }>('/api/policies', { signal }), []);
  const [source, setSource] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction();
  return (
    <Card title="Policies">
      <p className="muted">Policies decide when OpsLoop must ask a person: a new client, an amount over a limit, low confidence, a rule that fails.</p>
      <ErrorNote error={policies.error} onRetry={policies.reload} />
      {policies.data === undefined && policies.error === null ? <Loading /> : null}
      {policies.data !== undefined && policies.data.policies.length === 0 ? <p className="muted">No policies yet: every step follows its own autonomy tier.</p> : null}
      <ul className="policy-list">
        {policies.data?.policies.map((p) => (
          <li key={p.id}>
            <div className="policy-head">
              <strong>{p.name}</strong> <span className="muted small">v{p.version}</span>
            </div>
            <ul>
              {p.definition.rules.map((r) => (
                <li key={r.id}>
                  <span className="mono small">{r.id}</span> — {ruleText(r)}
                </li>
              ))}
            </ul>
            <details className="nested">
              <summary>Definition</summary>
              <JsonBlock value={p.definition} label={`Definition of ${p.name}`} />
            </details>
          </li>
        ))}
      </ul>
      {can(me.user, 'admin') ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setSaved(null);
            void save.run(async () => {
              const text = source.trim();
              const json = text.startsWith('{');
              const result = await api<{ id?: string; version?: number }>('/api/policies', { method: 'POST', body: text, headers: { 'content-type': json ? 'application/json' : 'application/yaml' } });
              setSaved(`Saved${result.id === undefined ? '' : ` ${result.id}`}${result.version === undefined ? '' : ` v${result.version}`}.`);
              setSource('');
              policies.reload();
            });
          }}
        >
          <Field label="Add or change a policy (YAML or JSON)" hint="Saving a policy with an existing id makes a new version of it.">
            {(id, hint) => <textarea id={id} className="mono" rows={6} value={source} onChange={(e) => setSource(e.target.value)} aria-describedby={hint} placeholder={'id: invoices\nrules:\n  - id: large-amount\n    type: threshold\n    ...'} />}
          </Field>
          <ErrorNote error={save.error} title="The policy was not saved" />
          {saved === null ? null : <Notice tone="good">{saved}</Notice>}
          <Button type="submit" disabled={source.trim() === ''} busy={save.busy}>
            Save policy
          </Button>
        </form>
      ) : null}
    </Card>
  );
}

type ProfileField = 'name' | 'address' | 'email' | 'phone' | 'taxId';
type BankField = keyof BankDetails;
const profileFields: [ProfileField, string][] = [
  ['name', 'Business name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['taxId', 'Tax ID (VAT number)'],
];
const bankFields: [BankField, string][] = [
  ['accountName', 'Account name'],
  ['iban', 'IBAN'],
  ['bic', 'BIC'],
  ['accountNumber', 'Account number'],
  ['sortCode', 'Sort code'],
];

interface ProfileForm {
  fields: Record<ProfileField, string>;
  bank: Record<BankField, string>;
  /** base64 PNG, or null for none */
  logoPng: string | null;
}

/** Reads a chosen file as base64 (without the data: prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error(`${file.name} could not be read`));
    reader.readAsDataURL(file);
  });
}

function formOf(settings: BusinessSettings): ProfileForm {
  const stored = settings.stored;
  return {
    fields: { name: stored.name ?? '', address: stored.address ?? '', email: stored.email ?? '', phone: stored.phone ?? '', taxId: stored.taxId ?? '' },
    bank: { accountName: stored.bank?.accountName ?? '', iban: stored.bank?.iban ?? '', bic: stored.bank?.bic ?? '', accountNumber: stored.bank?.accountNumber ?? '', sortCode: stored.bank?.sortCode ?? '' },
    logoPng: stored.logoPng ?? null,
  };
}

/** Who documents are from: stored here, over the environment's defaults (shown as placeholders). */
function BusinessProfileCard(): ReactNode {
  const me = useMe();
  const settings = useResource((signal) => api<BusinessSettings>('/api/settings/business', { signal }), []);
  const [form, setForm] = useState<ProfileForm | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const owner = can(me.user, 'owner');
  useEffect(() => {
    if (settings.data !== undefined) setForm(formOf(settings.data));
  }, [settings.data]);
  const env = settings.data?.environment;
  const business = settings.data?.business;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (form === null) return;
    setSaved(false);
    void save.run(async () => {
      const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());
      const bank = Object.fromEntries(Object.entries(form.bank).map(([k, v]) => [k, blankToNull(v)]));
      const body = { ...Object.fromEntries(Object.entries(form.fields).map(([k, v]) => [k, blankToNull(v)])), bank, logoPng: form.logoPng };
      settings.set(await api<BusinessSettings>('/api/settings/business', { method: 'PUT', body }));
      setSaved(true);
    });
  };
  const named = errorField(save.error);

  return (
    <Card title="Business profile">
      <p className="muted">Who your documents are from: printed on every PDF, in the emails to clients and on the pay pages.{owner ? ' A field left empty uses the value set where OpsLoop runs (shown in grey).' : ''}</p>
      <ErrorNote error={settings.error} onRetry={settings.reload} title="The business profile could not be loaded" />
      {settings.data === undefined && settings.error === null ? <Loading /> : null}
      {business !== undefined && !owner ? (
        <Facts
          items={[
            ['Business name', business.name],
            ['Address', business.address ?? '—'],
            ['Email', business.email ?? '—'],
            ['Phone', business.phone ?? '—'],
            ['Tax ID', business.taxId ?? '—'],
            ['Bank', business.bank === null || business.bank === undefined ? '—' : Object.values(business.bank).join(' · ')],
          ]}
        />
      ) : null}
      {form === null || env === undefined || !owner ? null : (
        <form onSubmit={submit} aria-label="Business profile" noValidate>
          <div className="form-row">
            {profileFields.map(([field, label]) => (
              <Field key={field} label={label} error={fieldError(save.error, field)}>
                {(id, hint) => (
                  <input
                    id={id}
                    type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
                    value={form.fields[field]}
                    placeholder={env[field] ?? ''}
                    onChange={(e) => setForm({ ...form, fields: { ...form.fields, [field]: e.target.value } })}
                    aria-describedby={hint}
                    aria-invalid={fieldError(save.error, field) !== null || undefined}
                  />
                )}
              </Field>
            ))}
          </div>
          <Field label="Address" hint="One line per line on the document." error={fieldError(save.error, 'address')}>
            {(id, hint) => <textarea id={id} rows={3} value={form.fields.address} placeholder={env.address ?? ''} onChange={(e) => setForm({ ...form, fields: { ...form.fields, address: e.target.value } })} aria-describedby={hint} />}
          </Field>
          <Field label="Logo" hint="A PNG, printed at the top of every document (at most 2 MB)." error={fieldError(save.error, 'logoPng')}>
            {(id, hint) => (
              <div className="logo-field">
                {form.logoPng === null ? <span className="muted small">No logo</span> : <img src={`data:image/png;base64,${form.logoPng}`} alt="Current logo" className="logo-preview" />}
                <input
                  id={id}
                  type="file"
                  accept="image/png"
                  aria-describedby={hint}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file !== undefined) void readBase64(file).then((logoPng) => setForm((f) => (f === null ? f : { ...f, logoPng })));
                  }}
                />
                {form.logoPng === null ? null : (
                  <Button variant="ghost" onClick={() => setForm({ ...form, logoPng: null })}>
                    Remove logo
                  </Button>
                )}
              </div>
            )}
          </Field>
          <h3>Bank details for transfers</h3>
          <p className="muted small">Printed on invoices and shown on pay pages. Fill in what your bank uses (IBAN and BIC, or account number and sort code); stored details replace the environment's as a whole.</p>
          <div className="form-row">
            {bankFields.map(([field, label]) => (
              <Field key={field} label={label} error={fieldError(save.error, `bank.${field}`)}>
                {(id, hint) => (
                  <input
                    id={id}
                    className={field === 'iban' || field === 'bic' ? 'mono' : undefined}
                    value={form.bank[field]}
                    placeholder={env.bank?.[field] ?? ''}
                    onChange={(e) => setForm({ ...form, bank: { ...form.bank, [field]: e.target.value } })}
                    aria-describedby={hint}
                    aria-invalid={fieldError(save.error, `bank.${field}`) !== null || undefined}
                  />
                )}
              </Field>
            ))}
          </div>
          {save.error !== null && (named === null || named === '') ? <ErrorNote error={save.error} title="The business profile was not saved" /> : null}
          {save.error !== null && named !== null && named !== '' ? <p className="form-error" role="alert">Check the field marked above.</p> : null}
          {saved ? <Notice tone="good">Saved. New PDFs, emails and pay pages use it now.</Notice> : null}
          <Button type="submit" variant="primary" busy={save.busy}>
            Save business profile
          </Button>
        </form>
      )}
    </Card>
  );
}
