/**
 * Settings → Bank reconciliation: how sure a bank match must be to be applied without asking,
 * shown and typed as a percentage. Stored in OpsLoop over OPSLOOP_RECONCILE_THRESHOLD; an empty
 * field goes back to that. Owners change it; everyone else sees it.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { bankingSettingsApi, errorField, fieldError } from '../api.ts';
import { formatPercent } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { useMe } from '../me.ts';
import { can } from '../session.ts';
import { Button, Card, ErrorNote, Facts, Field, Loading, Notice } from '../ui.tsx';

/** 0.97 → "97" (one decimal at most, without float noise). */
const asPercent = (fraction: number | undefined): string => (fraction === undefined ? '' : String(Math.round(fraction * 1000) / 10));

const rangeMessage = 'must be a percentage from 50 to 100 (100 = always ask a person)';

function inForce(threshold: number, source: 'settings' | 'environment'): string {
  const where = source === 'settings' ? 'set here' : 'set where OpsLoop runs (OPSLOOP_RECONCILE_THRESHOLD)';
  if (threshold >= 1) return `Every bank match waits for a person in the Inbox: nothing is applied without asking (${where}).`;
  return `Matches at least ${formatPercent(threshold)} sure are applied without asking; the others wait for a person in the Inbox (${where}).`;
}

export function BankingSettingsCard(): ReactNode {
  const me = useMe();
  const owner = can(me.user, 'owner');
  const settings = useResource((signal) => bankingSettingsApi.get(signal), []);
  const [value, setValue] = useState<string | null>(null);
  const [notNumber, setNotNumber] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const data = settings.data;
  useEffect(() => {
    if (data !== undefined) setValue(asPercent(data.stored.reconcileThreshold));
  }, [data]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (value === null) return;
    setSaved(false);
    const text = value.trim().replace(/\s*%$/, '').replace(',', '.');
    const percent = Number(text);
    setNotNumber(text !== '' && !Number.isFinite(percent));
    if (text !== '' && !Number.isFinite(percent)) return;
    void save.run(async () => {
      settings.set(await bankingSettingsApi.save({ reconcileThreshold: text === '' ? null : percent / 100 }));
      setSaved(true);
    });
  };
  // The server speaks in fractions (0.5–1); this form in percentages.
  const error = notNumber || fieldError(save.error, 'reconcileThreshold') !== null ? rangeMessage : null;
  const named = errorField(save.error);

  return (
    <Card title="Bank reconciliation">
      <p className="muted">When you reconcile the bank, OpsLoop scores how sure it is that a payment belongs to an invoice. Matches at least this sure are applied without asking; the others wait for a person in the Inbox.</p>
      <ErrorNote error={settings.error} onRetry={settings.reload} title="The bank reconciliation settings could not be loaded" />
      {data === undefined && settings.error === null ? <Loading /> : null}
      {data === undefined ? null : <Notice tone="info">{inForce(data.banking.reconcileThreshold, data.banking.sources.reconcileThreshold)}</Notice>}
      {data?.problem === null || data?.problem === undefined ? null : <Notice tone="warn">{data.problem}</Notice>}
      {data !== undefined && !owner ? (
        <Facts
          items={[
            ['Applied without asking', data.banking.reconcileThreshold >= 1 ? 'Never: a person decides every match' : `At least ${formatPercent(data.banking.reconcileThreshold)} sure`],
            ['Set', data.banking.sources.reconcileThreshold === 'settings' ? 'Here, in Settings' : 'Where OpsLoop runs'],
          ]}
        />
      ) : null}
      {data === undefined || value === null || !owner ? null : (
        <form onSubmit={submit} aria-label="Bank reconciliation settings" noValidate>
          <Field
            label="Apply matches at least this sure (%)"
            hint={`50 to 100. 90 applies only a payment that names the invoice and pays exactly what it owes; 100 always asks a person. Empty: ${formatPercent(data.environment.reconcileThreshold)}, as set where OpsLoop runs.`}
            error={error}
          >
            {(id, hint) => (
              <input
                id={id}
                type="text"
                inputMode="decimal"
                className="inline-input"
                value={value}
                placeholder={asPercent(data.environment.reconcileThreshold)}
                onChange={(e) => {
                  setValue(e.target.value);
                  setSaved(false);
                }}
                aria-describedby={hint}
                aria-invalid={error !== null || undefined}
              />
            )}
          </Field>
          {save.error !== null && named !== 'reconcileThreshold' ? <ErrorNote error={save.error} title="The bank reconciliation settings were not saved" /> : null}
          {error !== null ? (
            <p className="form-error" role="alert">
              Check the field marked above.
            </p>
          ) : null}
          {saved ? <Notice tone="good">Saved. The next reconciliation uses it.</Notice> : null}
          <Button type="submit" variant="primary" busy={save.busy}>
            Save bank reconciliation
          </Button>
        </form>
      )}
    </Card>
  );
}
