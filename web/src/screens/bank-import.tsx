/**
 * Importing a bank statement: choose the file; for a CSV, say which column is which (guessed from
 * the header names, shown with the file's first lines); then import and see how many lines were
 * new. The server's errors name the line and column at fault and appear beside the form.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, errorMessage, fieldError } from '../api.ts';
import { formatDay } from '../format.ts';
import { useAction } from '../hooks.ts';
import type { CsvMapping, StatementImport } from '../types.ts';
import { Button, Card, ErrorNote, Field, Notice } from '../ui.tsx';
import { dateFormats, formatLabels, guessDateFormat, guessDelimiter, guessFormat, guessMapping, readCsvSheet, readStatementText, type CsvSheet, type MappableField, type StatementFormat } from './bank-csv.ts';

const fieldLabels: Record<MappableField, { label: string; hint: string }> = {
  date: { label: 'Date', hint: 'When the bank booked it.' },
  amount: { label: 'Amount', hint: 'Money in positive, money out negative.' },
  debit: { label: 'Money out (debit)', hint: 'Payments you made.' },
  credit: { label: 'Money in (credit)', hint: 'Payments you received.' },
  description: { label: 'Description', hint: 'The booking text.' },
  reference: { label: 'Reference', hint: 'Where payers write the invoice number.' },
  counterparty: { label: 'Counterparty', hint: 'Who paid you, or whom you paid.' },
  id: { label: "Bank's transaction id", hint: 'Optional: tells repeated lines apart.' },
  currency: { label: 'Currency column', hint: 'Optional: when lines are in several currencies.' },
};

const delimiterLabels: Record<string, string> = { ',': 'Comma ,', ';': 'Semicolon ;', '\t': 'Tab', '|': 'Bar |' };

function dateHint(example: string | null, sure: boolean): string {
  if (example === null) return 'How the file writes its dates.';
  return sure ? `The file writes dates like “${example}”.` : `Check it: “${example}” could be day or month first.`;
}

interface Chosen {
  name: string;
  text: string;
}

type AmountMode = 'amount' | 'split';

export function ImportStatement(props: { accounts: string[]; currency: string; onImported: (result: StatementImport) => void; onClose?: () => void }): ReactNode {
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [format, setFormat] = useState<StatementFormat>('csv');
  const [delimiter, setDelimiter] = useState(',');
  const [sheet, setSheet] = useState<CsvSheet | null>(null);
  const [columns, setColumns] = useState<Partial<Record<MappableField, string>>>({});
  const [amountMode, setAmountMode] = useState<AmountMode>('amount');
  const [dateFormat, setDateFormat] = useState<{ format: string; sure: boolean }>({ format: 'YYYY-MM-DD', sure: true });
  const [decimal, setDecimal] = useState<'' | '.' | ','>('');
  const [account, setAccount] = useState('');
  const [currency, setCurrency] = useState(props.currency);
  const [result, setResult] = useState<{ file: string; result: StatementImport } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const save = useAction();
  const ids = useId();

  // A CSV's header is read again when the file or the separator changes, and the columns guessed anew.
  useEffect(() => {
    if (chosen === null || format !== 'csv') {
      setSheet(null);
      return;
    }
    let current = true;
    readCsvSheet(chosen.text, delimiter).then(
      (read) => {
        if (!current) return;
        setSheet(read);
        setReadError(null);
        const guessed = guessMapping(read.header);
        setColumns(guessed);
        setAmountMode(guessed.amount === undefined && (guessed.debit !== undefined || guessed.credit !== undefined) ? 'split' : 'amount');
        const dateIndex = guessed.date === undefined ? -1 : read.header.indexOf(guessed.date);
        setDateFormat(guessDateFormat(dateIndex === -1 ? [] : read.samples.map((row) => row[dateIndex] ?? '')));
      },
      (error: unknown) => {
        if (!current) return;
        setSheet(null);
        setReadError(`The file cannot be read as CSV: ${errorMessage(error)}`);
      },
    );
    return () => {
      current = false;
    };
  }, [chosen, format, delimiter]);

  const choose = (file: File | undefined): void => {
    setResult(null);
    save.clear();
    setReadError(null);
    if (file === undefined) {
      setChosen(null);
      return;
    }
    readStatementText(file).then(
      (text) => {
        const guessed = guessFormat(file.name, text);
        setFormat(guessed);
        setDelimiter(guessDelimiter(text));
        setChosen({ name: file.name, text });
      },
      (error: unknown) => setReadError(`The file cannot be read: ${errorMessage(error)}`),
    );
  };

  const mapping = (): CsvMapping => {
    const wanted: MappableField[] = ['date', ...(amountMode === 'amount' ? (['amount'] as const) : (['debit', 'credit'] as const)), 'description', 'reference', 'counterparty', 'id', 'currency'];
    const out: CsvMapping = { dateFormat: dateFormat.format, delimiter };
    for (const field of wanted) {
      const column = columns[field];
      if (column !== undefined && column !== '') out[field] = column;
    }
    if (decimal !== '') out.decimal = decimal;
    return out;
  };

  const missing: string[] = [];
  if (format === 'csv' && sheet !== null) {
    if (columns.date === undefined) missing.push('the date column');
    if (amountMode === 'amount' && columns.amount === undefined) missing.push('the amount column');
    if (amountMode === 'split' && columns.debit === undefined && columns.credit === undefined) missing.push('the money out or money in column');
    if (account.trim() === '') missing.push('the account');
    if (currency.trim() === '' && columns.currency === undefined) missing.push('the currency');
  }
  const ready = chosen !== null && (format !== 'csv' || (sheet !== null && missing.length === 0));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (chosen === null || !ready) return;
    setResult(null);
    void save.run(async () => {
      const body = {
        format,
        content: chosen.text,
        fileName: chosen.name,
        ...(format === 'csv' ? { mapping: mapping(), account: account.trim(), ...(currency.trim() === '' ? {} : { currency: currency.trim().toUpperCase() }) } : {}),
      };
      const imported = await api<StatementImport>('/api/bank/statements', { method: 'POST', body });
      setResult({ file: chosen.name, result: imported });
      setChosen(null);
      setSheet(null);
      if (fileInput.current !== null) fileInput.current.value = '';
      props.onImported(imported);
    });
  };

  const accountError = fieldError(save.error, 'account');
  const currencyError = fieldError(save.error, 'currency');
  const setColumn = (field: MappableField, value: string): void => {
    setColumns((c) => {
      const next = { ...c };
      if (value === '') delete next[field];
      else next[field] = value;
      return next;
    });
    // A new date column: its dates say how they are written.
    if (field === 'date' && value !== '' && sheet !== null) {
      const index = sheet.header.indexOf(value);
      setDateFormat(guessDateFormat(sheet.samples.map((row) => row[index] ?? '')));
    }
  };
  const sample = (column: string | undefined): string | null => {
    if (sheet === null || column === undefined) return null;
    const index = sheet.header.indexOf(column);
    const value = sheet.samples.map((row) => row[index] ?? '').find((v) => v !== '');
    return value === undefined ? null : value;
  };
  const mappedTo = (column: string): string[] =>
    (Object.entries(columns) as [MappableField, string][])
      .filter(([field, name]) => name === column && (amountMode === 'amount' ? field !== 'debit' && field !== 'credit' : field !== 'amount'))
      .map(([field]) => fieldLabels[field].label);
  const fieldsShown: MappableField[] = ['date', ...(amountMode === 'amount' ? (['amount'] as const) : (['debit', 'credit'] as const)), 'description', 'reference', 'counterparty', 'id', 'currency'];

  return (
    <Card title="Import a statement" className="bank-import" actions={props.onClose === undefined ? undefined : <Button variant="ghost" onClick={props.onClose}>Close</Button>}>
      <form onSubmit={submit} aria-label="Import a statement">
        <Field label="Statement file" hint="CSV, OFX or QFX, or CAMT.053 (XML), as your online banking exports it." error={readError}>
          {(id, hint) => <input ref={fileInput} id={id} type="file" className="file-input" accept=".csv,.txt,.ofx,.qfx,.xml,text/csv,application/xml,text/xml" onChange={(e) => choose(e.target.files?.[0])} aria-describedby={hint} />}
        </Field>
        {chosen === null ? null : (
          <div className="form-row">
            <Field label="Format" hint={`Guessed from ${chosen.name}.`}>
              {(id, hint) => (
                <select id={id} value={format} onChange={(e) => setFormat(e.target.value as StatementFormat)} aria-describedby={hint}>
                  {(Object.keys(formatLabels) as StatementFormat[]).map((f) => (
                    <option key={f} value={f}>
                      {formatLabels[f]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {format === 'csv' ? (
              <Field label="Columns separated by">
                {(id) => (
                  <select id={id} value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
                    {Object.entries(delimiterLabels).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
          </div>
        )}
        {chosen !== null && format !== 'csv' ? <p className="muted">{format === 'ofx' ? 'An OFX file names its account and currency: there is nothing to map.' : 'A CAMT.053 file names its account and currency: there is nothing to map.'}</p> : null}
        {sheet === null || format !== 'csv' ? null : (
          <>
            <h3 className="bank-step">The first lines of {chosen?.name}</h3>
            <div className="table-wrap bank-preview">
              <table className="table compact">
                <caption className="sr-only">The first lines of the file, under its header row</caption>
                <thead>
                  <tr>
                    {sheet.header.map((name) => (
                      <th key={name} scope="col">
                        {name}
                        {mappedTo(name).map((label) => (
                          <span key={label} className="mapped-tag">
                            {label}
                          </span>
                        ))}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sheet.samples.slice(0, 3).map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3 className="bank-step">Which column is which</h3>
            <fieldset className="amount-mode">
              <legend>Amounts are in</legend>
              <label className="check">
                <input type="radio" name={`${ids}-mode`} checked={amountMode === 'amount'} onChange={() => setAmountMode('amount')} />
                one column, money out negative
              </label>
              <label className="check">
                <input type="radio" name={`${ids}-mode`} checked={amountMode === 'split'} onChange={() => setAmountMode('split')} />
                two columns, money out and money in
              </label>
            </fieldset>
            <div className="form-row mapping-grid">
              {fieldsShown.map((field) => {
                const example = sample(columns[field]);
                return (
                  <Field key={field} label={fieldLabels[field].label} hint={example === null ? fieldLabels[field].hint : `e.g. “${example}”`}>
                    {(id, hint) => (
                      <select id={id} value={columns[field] ?? ''} onChange={(e) => setColumn(field, e.target.value)} aria-describedby={hint}>
                        <option value="">— not in the file —</option>
                        {sheet.header.map((name) => (
                          <option key={name} value={name}>
                            {name}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                );
              })}
              <Field label="Date format" hint={dateHint(sample(columns.date), dateFormat.sure)}>
                {(id, hint) => (
                  <select id={id} value={dateFormat.format} onChange={(e) => setDateFormat({ format: e.target.value, sure: true })} aria-describedby={hint}>
                    {dateFormats.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Decimal mark" hint="Automatic reads both 1,234.56 and 1.234,56.">
                {(id, hint) => (
                  <select id={id} value={decimal} onChange={(e) => setDecimal(e.target.value as '' | '.' | ',')} aria-describedby={hint}>
                    <option value="">Automatic</option>
                    <option value=".">Point: 1234.56</option>
                    <option value=",">Comma: 1234,56</option>
                  </select>
                )}
              </Field>
            </div>
            <h3 className="bank-step">Whose statement</h3>
            <div className="form-row">
              <Field label="Account" hint="The IBAN or account number: a CSV does not say which account it is from." error={accountError}>
                {(id, hint) => (
                  <>
                    <input id={id} value={account} onChange={(e) => setAccount(e.target.value)} list={`${ids}-accounts`} autoComplete="off" maxLength={100} aria-describedby={hint} aria-invalid={accountError !== null || undefined} required />
                    <datalist id={`${ids}-accounts`}>
                      {props.accounts.map((a) => (
                        <option key={a} value={a} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              <Field label="Currency" hint={columns.currency === undefined ? 'Of every line, e.g. USD or EUR.' : 'For lines whose currency cell is empty.'} error={currencyError}>
                {(id, hint) => <input id={id} value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} autoComplete="off" className="currency-input" aria-describedby={hint} aria-invalid={currencyError !== null || undefined} />}
              </Field>
            </div>
          </>
        )}
        {accountError === null && currencyError === null ? <ErrorNote error={save.error} title="The statement was not imported" /> : null}
        {chosen !== null && missing.length > 0 ? <p className="muted small">To import, choose {missing.join(', ')}.</p> : null}
        {chosen === null ? null : (
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.busy} disabled={!ready}>
              Import statement
            </Button>
          </div>
        )}
      </form>
      {result === null ? null : (
        <Notice tone="good">
          <span data-testid="import-outcome">
            <strong>
              {result.result.new} new, {result.result.existing} already imported
            </strong>{' '}
            from {result.file}
            {result.result.firstDate === null ? '' : ` (${formatDay(result.result.firstDate)} – ${formatDay(result.result.lastDate)})`}.
            {result.result.skipped > 0 ? ` ${result.result.skipped} pending line${result.result.skipped === 1 ? ' was' : 's were'} left out until booked.` : ''}
          </span>
        </Notice>
      )}
    </Card>
  );
}
