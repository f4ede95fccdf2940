/** Formatting for people: dates, amounts, durations, names of things. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : dateTime.format(date);
}

/** A calendar date written YYYY-MM-DD, shown without shifting it by the time zone. */
export function formatDay(day: string | null | undefined): string {
  if (day === null || day === undefined || day === '') return '—';
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dateOnly.format(date);
}

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** Decimal strings from the API ("2500.00") with their currency. */
export function formatMoney(amount: string | number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency ?? ''}`.trim();
  if (currency === null || currency === undefined || !/^[A-Z]{3}$/.test(currency)) return value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 100)}%`;
}

/** "awaiting_approval" → "Awaiting approval" */
export function humanize(text: string): string {
  if (/^(api|ai|pdf|csv|url|smtp)$/i.test(text)) return text.toUpperCase();
  const spaced = text.replace(/[_.-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

export function shortId(id: string): string {
  return id.length > 10 ? id.slice(-8) : id;
}

/** Who did something: "user:ana@x" → "ana@x", "run:…" → "a run", "system" → "OpsLoop". */
export function actorName(actor: string): string {
  if (actor.startsWith('user:')) return actor.slice(5);
  if (actor === 'system') return 'OpsLoop';
  if (actor === 'ai') return 'AI';
  if (actor.startsWith('run:')) return `run ${shortId(actor.slice(4))}`;
  if (actor.startsWith('trigger:')) return `${actor.slice(8)} trigger`;
  return actor;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
