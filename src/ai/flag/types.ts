/** Public types of the FLAG skill. See index.ts for the rules each anomaly code follows. */
import { DocumentKind as DraftDocumentKind } from '../draft/types.ts';

/** The document kinds of the rest of OpsLoop, plus incoming bills. */
export const DocumentKind = { ...DraftDocumentKind, bill: 'bill' } as const;
export type DocumentKind = (typeof DocumentKind)[keyof typeof DocumentKind];

export const Direction = { outgoing: 'outgoing', incoming: 'incoming' } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

export interface FlagLine {
  description: string;
  /** Plain decimal, may be fractional or negative ("1.5", "-1"). */
  quantity: string;
  /** Net unit price as a plain decimal; may have more digits than the currency ("0.0125"). */
  unitPrice: string;
  /** Percentage ("19", "7.5"); null or absent means the line carries no rate. */
  taxRate?: string | null;
  /** The line amount as printed, net or gross; at most the currency's digits. */
  amount?: string | null;
}

export interface FlagCounterparty {
  name: string;
  taxId?: string | null;
  email?: string | null;
  /** IBAN or account number as printed. */
  bankAccount?: string | null;
}

export interface FlagDocument {
  id?: string;
  kind: DocumentKind;
  /** Defaults to incoming for bills and receipts, outgoing for everything else. */
  direction?: Direction;
  number?: string | null;
  counterparty: FlagCounterparty;
  /** ISO 4217 code in upper case. */
  currency: string;
  /** YYYY-MM-DD */
  issueDate?: string | null;
  /** YYYY-MM-DD */
  dueDate?: string | null;
  lines?: FlagLine[];
  /** Plain decimals with at most the currency's digits ("1250.00", JPY "120000"). */
  subtotal?: string | null;
  taxTotal?: string | null;
  total: string;
  fileHash?: string | null;
  description?: string | null;
}

export const AnomalyCode = {
  totalsMismatch: 'TOTALS_MISMATCH',
  linesMismatch: 'LINES_MISMATCH',
  duplicate: 'DUPLICATE',
  unusualAmount: 'UNUSUAL_AMOUNT',
  newCounterparty: 'NEW_COUNTERPARTY',
  bankDetailsChanged: 'BANK_DETAILS_CHANGED',
  datesOutOfOrder: 'DATES_OUT_OF_ORDER',
  dateInFuture: 'DATE_IN_FUTURE',
  dateTooOld: 'DATE_TOO_OLD',
  currencyChanged: 'CURRENCY_CHANGED',
  roundAmount: 'ROUND_AMOUNT',
} as const;
export type AnomalyCode = (typeof AnomalyCode)[keyof typeof AnomalyCode];

export const Severity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export interface Anomaly {
  code: AnomalyCode;
  severity: Severity;
  /** A sentence a person can act on, with the numbers. */
  message: string;
  /** The values behind the message (amounts as decimal strings) and the ids of history documents involved. */
  evidence: Record<string, unknown>;
  /** 0..1: how sure the skill is that this is a real problem (for info: that the fact holds). */
  score: number;
}

export interface FlagResult {
  /** Most severe first, then by score. */
  anomalies: Anomaly[];
  /** 1 − the highest score among warning and critical anomalies; 1 when there are none. */
  confidence: number;
  /** The anomaly codes that had enough data to be evaluated, in a fixed order. */
  checked: AnomalyCode[];
}

export interface FlagOptions {
  /** YYYY-MM-DD. Without it the checks that need "today" (future, too old) are not run. */
  today: string;
  /** Days either side within which a same-amount, similar document counts as a duplicate. Default 30. */
  duplicateWindowDays?: number;
  /** An issue date more than this many days after today is flagged. Default 365. */
  futureDays?: number;
  /** Fewest comparable history documents before amount statistics are computed. Default 4. */
  minHistoryForStats?: number;
}
