/**
 * Fixtures for the FLAG tests: a steady client (Acme, monthly maintenance invoices) and a steady
 * vendor (Northwind, monthly bills paid to one IBAN). Every amount below is chosen so the
 * expected statistics can be worked out by hand; see the comments at each fixture.
 */
import assert from 'node:assert/strict';
import { flagDocument } from '../../../src/ai/flag/index.ts';
import type { Anomaly, AnomalyCode, FlagDocument, FlagOptions, FlagResult } from '../../../src/ai/flag/index.ts';

/** The day every test runs on. */
export const TODAY = '2026-06-15';

export const NORTHWIND_IBAN = 'DE89 3704 0044 0532 0130 00';

/**
 * Acme invoices, Jan–May 2026, EUR: 780, 760, 800, 790, 770.
 * Median 780; absolute deviations 0, 20, 20, 10, 10 → MAD 10.
 */
export const acmeHistory: FlagDocument[] = [
  acmePast('acme-1', 'INV-2026-001', '2026-01-10', '780.00', 'January'),
  acmePast('acme-2', 'INV-2026-002', '2026-02-10', '760.00', 'February'),
  acmePast('acme-3', 'INV-2026-003', '2026-03-10', '800.00', 'March'),
  acmePast('acme-4', 'INV-2026-004', '2026-04-10', '790.00', 'April'),
  acmePast('acme-5', 'INV-2026-005', '2026-05-10', '770.00', 'May'),
];

function acmePast(id: string, number: string, issueDate: string, total: string, month: string): FlagDocument {
  return {
    id,
    kind: 'invoice',
    number,
    counterparty: { name: 'Acme Ltd.', email: 'accounts@acme.example' },
    currency: 'EUR',
    issueDate,
    dueDate: null,
    total,
    description: `Website maintenance ${month}`,
  };
}

/**
 * Northwind bills, Jan–May 2026, EUR: 1234.56, 1180.20, 1310.75, 1205.00, 1260.40, all to one
 * IBAN. Median 1234.56; absolute deviations 0, 54.36, 76.19, 29.56, 25.84 → MAD 29.56.
 * None is a multiple of 1,000.
 */
export const northwindHistory: FlagDocument[] = [
  northwindPast('nw-1', 'NW-1001', '2026-01-20', '1234.56'),
  northwindPast('nw-2', 'NW-1002', '2026-02-20', '1180.20'),
  northwindPast('nw-3', 'NW-1003', '2026-03-20', '1310.75'),
  northwindPast('nw-4', 'NW-1004', '2026-04-20', '1205.00'),
  northwindPast('nw-5', 'NW-1005', '2026-05-20', '1260.40'),
];

function northwindPast(id: string, number: string, issueDate: string, total: string): FlagDocument {
  return {
    id,
    kind: 'bill',
    number,
    counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: NORTHWIND_IBAN },
    currency: 'EUR',
    issueDate,
    dueDate: null,
    total,
    fileHash: `sha256:${id}`,
    description: 'Office supplies',
  };
}

/** June's Acme invoice: 10 h × 65.00 at 20 % = 650.00 + 130.00 = 780.00. Nothing wrong with it. */
export function acmeInvoice(overrides: Partial<FlagDocument> = {}): FlagDocument {
  return {
    id: 'acme-6',
    kind: 'invoice',
    number: 'INV-2026-006',
    counterparty: { name: 'ACME LIMITED' },
    currency: 'EUR',
    issueDate: '2026-06-10',
    dueDate: '2026-07-10',
    lines: [{ description: 'Website maintenance June', quantity: '10', unitPrice: '65.00', taxRate: '20' }],
    subtotal: '650.00',
    taxTotal: '130.00',
    total: '780.00',
    ...overrides,
  };
}

/** June's Northwind bill, 1250.30 to the usual IBAN (written without spaces). Nothing wrong with it. */
export function northwindBill(overrides: Partial<FlagDocument> = {}): FlagDocument {
  return {
    id: 'nw-6',
    kind: 'bill',
    number: 'NW-1006',
    counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: 'de89370400440532013000' },
    currency: 'EUR',
    issueDate: '2026-06-12',
    dueDate: '2026-07-12',
    total: '1250.30',
    fileHash: 'sha256:nw-6',
    description: 'Office supplies',
    ...overrides,
  };
}

export function flag(doc: FlagDocument, history: FlagDocument[] = [], options: Partial<FlagOptions> = {}): FlagResult {
  return flagDocument(doc, history, { today: TODAY, ...options });
}

export function codes(result: FlagResult): AnomalyCode[] {
  return result.anomalies.map((anomaly) => anomaly.code);
}

/** The one anomaly with this code; fails when there is none or more than one. */
export function only(result: FlagResult, code: AnomalyCode): Anomaly {
  const found = result.anomalies.filter((anomaly) => anomaly.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(codes(result))}`);
  return found[0] as Anomaly;
}

export function none(result: FlagResult, code: AnomalyCode): void {
  assert.ok(!codes(result).includes(code), `did not expect ${code}: ${JSON.stringify(result.anomalies, null, 2)}`);
}
