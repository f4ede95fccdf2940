/**
 * Settings → Email (SMTP) and AI provider: stored in OpsLoop over what is set where it runs (the
 * environment, shown as placeholders and "from the environment" hints), each with a test that
 * says in words what the server did. Passwords and API keys are write-only.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { errorField, errorMessage, fieldError, settingsApi, type AiSettingsBody, type MailSettingsBody } from '../api.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { can } from '../session.ts';
import type { AiProviderKind, AiSettings, AiTestResult, MailSecurity, MailSettings, MailTestResult, SettingSource } from '../types.ts';
import { Button, Card, ErrorNote, Facts, Field, Loading, Notice } from '../ui.tsx';

const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());
const numberOrNull = (value: string): number | null => (value.trim() === '' ? null : Number(value));
const text = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : String(value));

/** "From the environment: …" under a field left empty whose value in force comes from there. */
function envHint(formValue: string, source: SettingSource, value: string | number | null, fallback?: string): string | undefined {
  if (formValue.trim() !== '') return fallback;
  if (source === 'environment' && value !== null) return `From the environment: ${String(value)}`;
  return fallback;
}

/** A password or API key: never shown; blank keeps the stored one; "Remove" clears it on save. */
function SecretField(props: { label: string; what: string; isSet: boolean; value: string; clear: boolean; onChange: (value: string) => void; onClear: (clear: boolean) => void; error: string | null; hint?: string }): ReactNode {
  const state = props.clear ? 'It is removed when you save.' : props.isSet ? 'Set — leave blank to keep it, or type a new one.' : 'Not set.';
  return (
    <Field label={props.label} hint={props.hint === undefined ? state : `${state} ${props.hint}`} error={props.error}>
      {(id, hint) => (
        <div className="inline-form">
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            value={props.value}
            placeholder={props.isSet && !props.clear ? 'set — leave blank to keep' : ''}
            disabled={props.clear}
            onChange={(e) => props.onChange(e.target.value)}
            aria-describedby={hint}
            aria-invalid={props.error !== null || undefined}
          />
          {props.isSet ? (
            <Button variant="ghost" aria-pressed={props.clear} onClick={() => props.onClear(!props.clear)}>
              {props.clear ? `Keep the ${props.what}` : `Remove the ${props.what}`}
            </Button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

/** The note under a form: a field error points at the field; anything else is said here. */
function SaveError(props: { error: unknown; title: string }): ReactNode {
  const named = errorField(props.error);
  if (props.error === null || props.error === undefined) return null;
  if (named !== null && named !== '') return <p className="form-error" role="alert">Check the field marked above.</p>;
  return <ErrorNote error={props.error} title={props.title} />;
}

/** A failed test, in the server's words (they already say what to check). */
function TestFailure(props: { error: unknown; title: string }): ReactNode {
  if (props.error === null || props.error === undefined) return null;
  return (
    <div className="error-note" role="alert">
      <strong>{props.title}</strong>
      <p>{errorMessage(props.error)}</p>
    </div>
  );
}

// ---- Email (SMTP) ----

interface MailForm {
  host: string;
  port: string;
  security: MailSecurity | '';
  username: string;
  password: string;
  clearPassword: boolean;
  from: string;
  fromName: string;
}

function mailFormOf(settings: MailSettings): MailForm {
  const s = settings.stored;
  return { host: text(s.host), port: text(s.port), security: s.security ?? '', username: text(s.username), password: '', clearPassword: false, from: text(s.from), fromName: text(s.fromName) };
}

const securityLabel: Record<MailSecurity, string> = { starttls: 'STARTTLS — port 587', tls: 'TLS — port 465', none: 'None — local relay' };
const securityWords: Record<MailSecurity, string> = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' };

function mailStatus(mail: MailSettings['mail']): ReactNode {
  if (!mail.configured) return <Notice tone="warn">Email is off: no mail server is set. Invoices, reminders and notifications are not sent until one is.</Notice>;
  const where = `${mail.host ?? '?'}:${mail.port ?? '?'}`;
  const origin = mail.sources.host === 'settings' ? 'set here' : 'set where OpsLoop runs (SMTP_URL)';
  return (
    <Notice tone="good">
      Email is on: sent through {where} ({securityWords[mail.security ?? 'starttls']}), {origin}, from {mail.fromName === null ? mail.from : `${mail.fromName} <${mail.from ?? ''}>`}.
    </Notice>
  );
}

export function MailSettingsCard(): ReactNode {
  const me = useMe();
  const owner = can(me.user, 'owner');
  const settings = useResource((signal) => settingsApi.mail(signal), []);
  const [form, setForm] = useState<MailForm | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const [testTo, setTestTo] = useState('');
  const [tested, setTested] = useState<MailTestResult['sent'] | null>(null);
  const test = useAction();
  useEffect(() => {
    if (settings.data !== undefined) setForm(mailFormOf(settings.data));
  }, [settings.data]);
  const data = settings.data;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (form === null) return;
    setSaved(false);
    setTested(null);
    void save.run(async () => {
      const body: MailSettingsBody = {
        host: blankToNull(form.host),
        port: numberOrNull(form.port),
        security: form.security === '' ? null : form.security,
        username: blankToNull(form.username),
        from: blankToNull(form.from),
        fromName: blankToNull(form.fromName),
        ...(form.clearPassword ? { password: null } : form.password === '' ? {} : { password: form.password }),
      };
      settings.set(await settingsApi.saveMail(body));
      setSaved(true);
    });
  };
  const sendTest = (event: FormEvent): void => {
    event.preventDefault();
    setTested(null);
    void test.run(async () => {
      const to = testTo.trim();
      setTested((await settingsApi.testMail(to === '' ? undefined : to)).sent);
    });
  };
  const err = (field: string): string | null => fieldError(save.error, field);

  return (
    <Card title="Email (SMTP)">
      <p className="muted">The mail server OpsLoop sends invoices, reminders and notifications through.{owner ? ' A field left empty uses the value set where OpsLoop runs (shown in grey); a host set here replaces that server as a whole.' : ''}</p>
      <ErrorNote error={settings.error} onRetry={settings.reload} title="The email settings could not be loaded" />
      {data === undefined && settings.error === null ? <Loading /> : null}
      {data === undefined ? null : mailStatus(data.mail)}
      {data?.problem === null || data?.problem === undefined ? null : <Notice tone="warn">{data.problem}</Notice>}
      {data !== undefined && !owner ? (
        <Facts
          items={[
            ['Server', data.mail.host === null ? '—' : `${data.mail.host}:${data.mail.port ?? ''}`],
            ['Security', data.mail.security === null ? '—' : securityLabel[data.mail.security]],
            ['User name', data.mail.username ?? '—'],
            ['Password', data.mail.passwordSet ? 'Set' : 'Not set'],
            ['From', data.mail.fromName === null ? (data.mail.from ?? '—') : `${data.mail.fromName} <${data.mail.from ?? ''}>`],
          ]}
        />
      ) : null}
      {form === null || data === undefined || !owner ? null : (
        <>
          <form onSubmit={submit} aria-label="Email settings" noValidate>
            <div className="form-row">
              <Field label="SMTP host" hint={form.host.trim() === '' ? (data.environment.configured ? `Empty: the server set where OpsLoop runs is used (${data.environment.host ?? ''}:${data.environment.port ?? ''})` : 'Empty: no mail server, email is off') : undefined} error={err('host')}>
                {(id, hint) => <input id={id} value={form.host} placeholder={data.environment.host ?? 'smtp.example.com'} autoComplete="off" spellCheck={false} onChange={(e) => setForm({ ...form, host: e.target.value })} aria-describedby={hint} aria-invalid={err('host') !== null || undefined} />}
              </Field>
              <Field label="Port" hint={form.port === '' ? `Empty: ${form.security === '' ? 587 : { starttls: 587, tls: 465, none: 25 }[form.security]} for the security chosen` : undefined} error={err('port')}>
                {(id, hint) => <input id={id} type="number" inputMode="numeric" min={1} max={65535} value={form.port} placeholder={text(data.environment.port)} onChange={(e) => setForm({ ...form, port: e.target.value })} aria-describedby={hint} aria-invalid={err('port') !== null || undefined} />}
              </Field>
              <Field label="Security" error={err('security')}>
                {(id, hint) => (
                  <select id={id} value={form.security} onChange={(e) => setForm({ ...form, security: e.target.value as MailSecurity | '' })} aria-describedby={hint}>
                    <option value="">Default (STARTTLS)</option>
                    {(Object.keys(securityLabel) as MailSecurity[]).map((s) => (
                      <option key={s} value={s}>
                        {securityLabel[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="form-row">
              <Field label="User name" error={err('username')}>
                {(id, hint) => <input id={id} value={form.username} placeholder={data.environment.username ?? ''} autoComplete="off" spellCheck={false} onChange={(e) => setForm({ ...form, username: e.target.value })} aria-describedby={hint} aria-invalid={err('username') !== null || undefined} />}
              </Field>
              <SecretField
                label="Password"
                what="password"
                isSet={data.stored.passwordSet}
                value={form.password}
                clear={form.clearPassword}
                onChange={(password) => setForm({ ...form, password })}
                onClear={(clearPassword) => setForm({ ...form, clearPassword, password: '' })}
                error={err('password')}
                hint="A new host or user name needs it typed again."
              />
            </div>
            <div className="form-row">
              <Field label="From address" hint={envHint(form.from, data.mail.sources.from, data.environment.from)} error={err('from')}>
                {(id, hint) => <input id={id} type="email" value={form.from} placeholder={data.environment.from ?? ''} onChange={(e) => setForm({ ...form, from: e.target.value })} aria-describedby={hint} aria-invalid={err('from') !== null || undefined} />}
              </Field>
              <Field label="From name" hint={envHint(form.fromName, data.mail.sources.fromName, data.environment.fromName)} error={err('fromName')}>
                {(id, hint) => <input id={id} value={form.fromName} placeholder={data.environment.fromName ?? ''} onChange={(e) => setForm({ ...form, fromName: e.target.value })} aria-describedby={hint} aria-invalid={err('fromName') !== null || undefined} />}
              </Field>
            </div>
            <SaveError error={save.error} title="The email settings were not saved" />
            {saved ? <Notice tone="good">Saved. The next email is sent with these settings.</Notice> : null}
            <Button type="submit" variant="primary" busy={save.busy}>
              Save email settings
            </Button>
          </form>
          <h3 style={{ marginTop: '1.5rem' }}>Test</h3>
          <form className="inline-form" onSubmit={sendTest} aria-label="Send a test email" noValidate>
            <Field label="Send a test email to" hint="Sent at once, with the saved settings.">
              {(id, hint) => <input id={id} type="email" value={testTo} placeholder={me.user.email} onChange={(e) => setTestTo(e.target.value)} aria-describedby={hint} />}
            </Field>
            <Button type="submit" busy={test.busy}>
              Send test email
            </Button>
          </form>
          <TestFailure error={test.error} title="The test email was not sent" />
          {tested === null ? null : (
            <Notice tone="good">
              <span data-testid="mail-test-result">
                Sent to {tested.to} through {tested.server} in {tested.latencyMs} ms. The server said: <code>{tested.response}</code>
              </span>
            </Notice>
          )}
        </>
      )}
    </Card>
  );
}

// ---- AI provider ----

interface AiForm {
  provider: AiProviderKind | '';
  baseUrl: string;
  model: string;
  apiKey: string;
  clearApiKey: boolean;
  timeoutMs: string;
  priceInputPerMTok: string;
  priceOutputPerMTok: string;
}

function aiFormOf(settings: AiSettings): AiForm {
  const s = settings.stored;
  return { provider: s.provider ?? '', baseUrl: text(s.baseUrl), model: text(s.model), apiKey: '', clearApiKey: false, timeoutMs: text(s.timeoutMs), priceInputPerMTok: text(s.priceInputPerMTok), priceOutputPerMTok: text(s.priceOutputPerMTok) };
}

const providerLabel: Record<AiProviderKind, string> = { builtin: 'Built-in (offline)', openai: 'OpenAI-compatible server' };

function aiStatus(ai: AiSettings['ai']): ReactNode {
  if (ai.problem !== null) return <Notice tone="warn">The AI provider cannot be used: {ai.problem}. Skills use the built-in AI until it is fixed.</Notice>;
  if (ai.provider === 'builtin') return <Notice tone="info">The built-in offline AI is in use: nothing leaves this server, and it learns from your corrections.</Notice>;
  return (
    <Notice tone="good">
      Where the built-in AI is unsure, skills ask {ai.model} at {ai.baseUrl}
      {ai.sources.provider === 'environment' ? ' (set where OpsLoop runs)' : ''}.
    </Notice>
  );
}

export function AiSettingsCard(): ReactNode {
  const me = useMe();
  const owner = can(me.user, 'owner');
  const settings = useResource((signal) => settingsApi.ai(signal), []);
  const [form, setForm] = useState<AiForm | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const [tested, setTested] = useState<AiTestResult['result'] | null>(null);
  const test = useAction();
  useEffect(() => {
    if (settings.data !== undefined) setForm(aiFormOf(settings.data));
  }, [settings.data]);
  const data = settings.data;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (form === null) return;
    setSaved(false);
    setTested(null);
    void save.run(async () => {
      const body: AiSettingsBody = {
        provider: form.provider === '' ? null : form.provider,
        baseUrl: blankToNull(form.baseUrl),
        model: blankToNull(form.model),
        timeoutMs: numberOrNull(form.timeoutMs),
        priceInputPerMTok: numberOrNull(form.priceInputPerMTok),
        priceOutputPerMTok: numberOrNull(form.priceOutputPerMTok),
        ...(form.clearApiKey ? { apiKey: null } : form.apiKey === '' ? {} : { apiKey: form.apiKey }),
      };
      settings.set(await settingsApi.saveAi(body));
      setSaved(true);
    });
  };
  const runTest = (): void => {
    setTested(null);
    void test.run(async () => {
      setTested((await settingsApi.testAi()).result);
    });
  };
  const err = (field: string): string | null => fieldError(save.error, field);
  const env = data?.environment;

  return (
    <Card title="AI provider">
      <p className="muted">OpsLoop's own AI works offline. An OpenAI-compatible model (OpenAI, Ollama, vLLM, LM Studio…) can give a second opinion where it is unsure; its answers are still checked.{owner ? ' A field left empty uses the value set where OpsLoop runs (shown in grey).' : ''}</p>
      <ErrorNote error={settings.error} onRetry={settings.reload} title="The AI settings could not be loaded" />
      {data === undefined && settings.error === null ? <Loading /> : null}
      {data === undefined ? null : aiStatus(data.ai)}
      {data !== undefined && !owner ? (
        <Facts
          items={[
            ['Provider', providerLabel[data.ai.provider]],
            ['Base URL', data.ai.baseUrl ?? '—'],
            ['Model', data.ai.model ?? '—'],
            ['API key', data.ai.apiKeySet ? 'Set' : 'Not set'],
          ]}
        />
      ) : null}
      {form === null || data === undefined || env === undefined || !owner ? null : (
        <form onSubmit={submit} aria-label="AI provider settings" noValidate>
          <Field label="Provider" hint={form.provider === '' ? `Empty: as set where OpsLoop runs (now ${env.provider === 'builtin' ? 'the built-in AI' : 'an OpenAI-compatible server'})` : undefined} error={err('provider')}>
            {(id, hint) => (
              <select id={id} value={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.value as AiProviderKind | '' })} aria-describedby={hint}>
                <option value="">As set where OpsLoop runs</option>
                {(Object.keys(providerLabel) as AiProviderKind[]).map((p) => (
                  <option key={p} value={p}>
                    {providerLabel[p]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-row">
            <Field label="Base URL" hint={envHint(form.baseUrl, data.ai.sources.baseUrl, data.ai.baseUrl, 'Up to /v1, e.g. http://localhost:11434/v1 or https://api.openai.com/v1')} error={err('baseUrl')}>
              {(id, hint) => <input id={id} type="url" value={form.baseUrl} placeholder={env.baseUrl ?? 'http://localhost:11434/v1'} spellCheck={false} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} aria-describedby={hint} aria-invalid={err('baseUrl') !== null || undefined} />}
            </Field>
            <Field label="Model" hint={envHint(form.model, data.ai.sources.model, data.ai.model)} error={err('model')}>
              {(id, hint) => <input id={id} value={form.model} placeholder={env.model ?? 'gpt-4o-mini, llama3.1:8b…'} spellCheck={false} onChange={(e) => setForm({ ...form, model: e.target.value })} aria-describedby={hint} aria-invalid={err('model') !== null || undefined} />}
            </Field>
          </div>
          <SecretField
            label="API key"
            what="API key"
            isSet={data.stored.apiKeySet}
            value={form.apiKey}
            clear={form.clearApiKey}
            onChange={(apiKey) => setForm({ ...form, apiKey })}
            onClear={(clearApiKey) => setForm({ ...form, clearApiKey, apiKey: '' })}
            error={err('apiKey')}
            hint="Local servers usually need none; a new base URL needs it typed again."
          />
          <div className="form-row">
            <Field label="Timeout (ms)" hint={envHint(form.timeoutMs, data.ai.sources.timeoutMs, data.ai.timeoutMs, undefined) ?? 'Empty: 30000'} error={err('timeoutMs')}>
              {(id, hint) => <input id={id} type="number" inputMode="numeric" min={1000} step={1000} value={form.timeoutMs} placeholder={text(env.timeoutMs)} onChange={(e) => setForm({ ...form, timeoutMs: e.target.value })} aria-describedby={hint} aria-invalid={err('timeoutMs') !== null || undefined} />}
            </Field>
            <Field label="Price per million input tokens (USD)" hint={envHint(form.priceInputPerMTok, data.ai.sources.priceInputPerMTok, data.ai.priceInputPerMTok)} error={err('priceInputPerMTok')}>
              {(id, hint) => <input id={id} type="number" inputMode="decimal" min={0} step="any" value={form.priceInputPerMTok} placeholder={text(env.priceInputPerMTok) || '0'} onChange={(e) => setForm({ ...form, priceInputPerMTok: e.target.value })} aria-describedby={hint} aria-invalid={err('priceInputPerMTok') !== null || undefined} />}
            </Field>
            <Field label="Price per million output tokens (USD)" hint={envHint(form.priceOutputPerMTok, data.ai.sources.priceOutputPerMTok, data.ai.priceOutputPerMTok)} error={err('priceOutputPerMTok')}>
              {(id, hint) => <input id={id} type="number" inputMode="decimal" min={0} step="any" value={form.priceOutputPerMTok} placeholder={text(env.priceOutputPerMTok) || '0'} onChange={(e) => setForm({ ...form, priceOutputPerMTok: e.target.value })} aria-describedby={hint} aria-invalid={err('priceOutputPerMTok') !== null || undefined} />}
            </Field>
          </div>
          <SaveError error={save.error} title="The AI provider was not saved" />
          {saved ? <Notice tone="good">Saved. Skills use it from their next step on.</Notice> : null}
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.busy}>
              Save AI provider
            </Button>
            <Button busy={test.busy} onClick={runTest}>
              Test connection
            </Button>
          </div>
          <p className="muted small">The test asks the saved model one short question.</p>
          <TestFailure error={test.error} title="The connection test failed" />
          {tested === null ? null : (
            <Notice tone="good">
              <span data-testid="ai-test-result">
                {tested.model} at {tested.baseUrl} answered in {tested.latencyMs} ms ({tested.usage.promptTokens} tokens in, {tested.usage.completionTokens} out).
              </span>
            </Notice>
          )}
        </form>
      )}
    </Card>
  );
}
