/**
 * Public pay pages and payment-provider webhooks (no login; reached by unguessable links or signed calls).
 *
 *   GET  /pay/:token                 the invoice, what is left to pay, and how to pay it
 *   POST /pay/:token/checkout        "Pay by card": 303 to a Stripe Checkout session
 *   POST /pay/webhooks/stripe        Stripe's events, signature checked (not under /hooks/: that
 *                                    path is the workflow webhooks' fast path)
 * Plain server-rendered HTML, escaped; errors are pages a person can read.
 */
import type { Context, Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import { httpStatusFor, OpsLoopError } from '../core/errors.ts';
import { businessProfiles, PayLinks, paySettings, type PayPage } from '../domains/finance/index.ts';
import type { AppEnv } from './auth.ts';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const style =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}table{width:100%;border-collapse:collapse;margin:1rem 0}th,td{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}' +
  'button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.3rem;border:1px solid #0b6b2f;background:#0b6b2f;color:#fff;cursor:pointer}.note{padding:.6rem .8rem;border-radius:.3rem;background:#eef6ff}.done{background:#e8f5ec}.warn{background:#fff4e5}' +
  'ul.details{list-style:none;padding:0;font-family:ui-monospace,monospace}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title><style>${style}</style></head><body>${body}</body></html>`;
}

const statusLabels: Record<string, string> = { sent: 'Awaiting payment', partially_paid: 'Partially paid', overdue: 'Overdue', paid: 'Paid', void: 'Cancelled' };

function facts(view: PayPage): string {
  const doc = view.document;
  const rows: [string, string][] = [];
  if (view.state === 'payable') rows.push(['Amount due', `<strong>${escape(view.due)}</strong>`]);
  rows.push(['Invoice total', escape(`${doc.total} ${doc.currency}`)]);
  if (view.credited !== null) rows.push(['Credited', escape(view.credited)]);
  if (view.paidSoFar !== null && doc.paid !== doc.total) rows.push(['Paid so far', escape(view.paidSoFar)]);
  if (doc.dueDate !== null) rows.push(['Due date', escape(doc.dueDate)]);
  rows.push(['Status', escape(statusLabels[doc.status] ?? doc.status.replace('_', ' '))]);
  return `<table>${rows.map(([label, value]) => `<tr><th>${label}</th><td>${value}</td></tr>`).join('')}</table>`;
}

function howToPay(view: PayPage, token: string): string {
  return view.instructions
    .map((how) => {
      if (how.provider === 'stripe') {
        return `<h2>Pay by card</h2><p>${escape(how.text)}</p><form method="post" action="/pay/${escape(token)}/checkout"><button type="submit">Pay by card</button></form>`;
      }
      const details = how.details.length === 0 ? '' : `<ul class="details">${how.details.map((line) => `<li>${escape(line)}</li>`).join('')}</ul>`;
      return `<h2>${escape(how.title)}</h2><p>${escape(how.text)}</p>${details}<p>Payment reference: <strong>${escape(how.reference)}</strong></p>`;
    })
    .join('');
}

function notice(view: PayPage, checkout: string | undefined): string {
  if (view.state === 'settled') return '<p class="note done">This invoice is paid in full. Nothing more is needed — thank you.</p>';
  if (view.state === 'closed') {
    const why = view.document.status === 'void' ? 'was cancelled' : 'is not ready for payment yet';
    return `<p class="note">This invoice ${why}; there is nothing to pay.</p>`;
  }
  if (checkout === 'success') return '<p class="note done">Thank you — your card payment is being confirmed. This page shows the invoice as paid as soon as it is.</p>';
  if (checkout === 'cancelled') return '<p class="note warn">The card payment was cancelled; nothing was charged.</p>';
  return '';
}

function payHtml(view: PayPage, token: string, checkout: string | undefined): string {
  const doc = view.document;
  return page(
    `Invoice ${doc.number} from ${view.businessName}`,
    `<h1>Invoice ${escape(doc.number)}</h1><p>From <strong>${escape(view.businessName)}</strong> to <strong>${escape(doc.client.name)}</strong>.</p>${notice(view, checkout)}${facts(view)}${howToPay(view, token)}`,
  );
}

function errorHtml(title: string, message: string, token: string | null): string {
  const back = token === null ? '' : `<p><a href="/pay/${escape(token)}">Back to the invoice</a> — you can also pay by bank transfer with the details there.</p>`;
  return page(title, `<h1>${escape(title)}</h1><p>${escape(message)}</p>${back}`);
}

/** A message as a sentence: ends with a full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function noStore(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'no-store');
}

export function mountPayPages(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const payLinks = new PayLinks({
    db: opsloop.database.db,
    committer: opsloop.engine.committer,
    dialect: opsloop.database.dialect,
    hooks: opsloop.engine.hooks,
    now: () => opsloop.engine.clock.now(),
    settings: paySettings(opsloop.config),
    business: async () => {
      const profile = await businessProfiles(opsloop.database, opsloop.config).current();
      return { businessName: profile.name, bank: profile.bank ?? null };
    },
    onPaid: () => opsloop.engine.wake(),
  });

  app.post('/pay/webhooks/stripe', async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const outcome = await payLinks.stripeWebhook(raw, c.req.header('stripe-signature'));
    if (outcome.outcome === 'overpaid' || outcome.outcome === 'currency_mismatch' || outcome.outcome === 'unknown_session') {
      opsloop.logger.warn({ event: outcome.eventId, type: outcome.type, outcome: outcome.outcome, document: outcome.document }, 'Stripe event needs a person');
    }
    return c.json({ received: true, outcome: outcome.outcome });
  });

  app.get('/pay/:token', async (c) => {
    noStore(c);
    const token = c.req.param('token');
    try {
      return c.html(payHtml(await payLinks.page(token), token, c.req.query('checkout')));
    } catch (error) {
      const status = httpStatusFor(error);
      const message = error instanceof OpsLoopError ? error.message : 'Something went wrong; please try again later.';
      if (!(error instanceof OpsLoopError)) opsloop.logger.error({ err: error, path: c.req.path }, 'pay page failed');
      return c.html(errorHtml(status === 404 ? 'Payment link not found' : 'Not available', message, null), status as 404);
    }
  });

  app.post('/pay/:token/checkout', async (c) => {
    noStore(c);
    const token = c.req.param('token');
    try {
      const outcome = await payLinks.checkout(token);
      if (outcome.kind === 'redirect') return c.redirect(outcome.url, 303);
      return c.html(page('Payment received', '<h1>Payment received</h1><p class="note done">Your card payment went through and is being confirmed. Nothing more is needed.</p>'));
    } catch (error) {
      const status = httpStatusFor(error);
      if (status === 404) return c.html(errorHtml('Payment link not found', (error as OpsLoopError).message, null), 404);
      if (!(error instanceof OpsLoopError) || status >= 500) opsloop.logger.warn({ err: error, path: '/pay/:token/checkout' }, 'card payment could not start');
      const message = error instanceof OpsLoopError ? sentence(error.message) : 'Something went wrong.';
      if (status === 409) return c.html(errorHtml('Nothing to pay by card', message, token), 409);
      return c.html(errorHtml('Card payment is not available right now', `${message} Please try again in a few minutes.`, token), status as 503);
    }
  });
}
