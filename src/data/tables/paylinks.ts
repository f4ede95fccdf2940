/** Kysely table types: payment links and payment provider sessions (migration 008_paylinks). */

/**
 * A checkout session opened with a payment provider (Stripe Checkout) for one invoice and amount.
 * Status: open -> paid | processing (paid later, e.g. a bank debit) | expired | failed.
 */
export interface PaySessionsTable {
  provider: string;
  /** the provider's id, e.g. cs_… */
  id: string;
  document_id: string;
  /** what the session charges, in the invoice currency's minor units */
  amount_minor: number;
  currency: string;
  status: string;
  /** where the client pays; null once the provider no longer offers it */
  url: string | null;
  idempotency_key: string;
  /** epoch ms; the provider closes the session then */
  expires_at: number | null;
  /** the provider's payment id (pi_…) once paid */
  provider_payment_id: string | null;
  /** our payments row, once recorded */
  payment_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Provider events already handled: a retried delivery of the same event is recognised and skipped. */
export interface PayEventsTable {
  provider: string;
  /** the provider's event id, e.g. evt_… */
  event_id: string;
  type: string;
  session_id: string | null;
  /** what handling it did: recorded, overpaid, pending, expired, failed, unknown_session… */
  outcome: string;
  received_at: number;
}

export interface PayLinkTables {
  pay_sessions: PaySessionsTable;
  pay_events: PayEventsTable;
}
