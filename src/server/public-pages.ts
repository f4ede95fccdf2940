/**
 * Public pages reached by an unguessable link, no login: a client reads a quote and accepts or
 * declines it. Plain server-rendered HTML, escaped; errors are pages a person can read.
 */
import type { Context, Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import { httpStatusFor, OpsLoopError } from '../core/errors.ts';
import { documentByToken, respondToQuote, type DocumentView } from '../domains/finance/index.ts';
import { documentTitle } from '../domains/finance/index.ts';
import type { AppEnv } from './auth.ts';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:.3rem;border:1px solid #444;cursor:pointer}.accept{background:#0b6b2f;color:#fff;border-color:#0b6b2f}</style></head><body>${body}</body></html>`;
}

function quoteHtml(doc: DocumentView, token: string, businessName: string): string {
  const rows = doc.lines.map((l) => `<tr><td>${escape(l.description)}</td><td class="n">${escape(l.quantity)}</td><td class="n">${escape(l.unitPrice)}</td><td class="n">${escape(l.amount)}</td></tr>`).join('');
  const open = doc.status === 'sent';
  const actions = open
    ? `<form method="post" action="/q/${escape(token)}/accept" style="display:inline"><button class="accept" type="submit">Accept</button></form><form method="post" action="/q/${escape(token)}/decline" style="display:inline"><button type="submit">Decline</button></form>`
    : `<p>This ${escape(documentTitle(doc.kind).toLowerCase())} is <strong>${escape(doc.status)}</strong>.</p>`;
  return page(
    `${documentTitle(doc.kind)} ${doc.number}`,
    `<h1>${escape(documentTitle(doc.kind))} ${escape(doc.number)}</h1><p>From <strong>${escape(businessName)}</strong> for <strong>${escape(doc.client.name)}</strong>${doc.validUntil === null ? '' : `, valid until ${escape(doc.validUntil)}`}.</p>
<table><thead><tr><th>Description</th><th class="n">Qty</th><th class="n">Unit price</th><th class="n">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Subtotal ${escape(doc.subtotal)} · Tax ${escape(doc.taxTotal)} · <strong>Total ${escape(doc.total)} ${escape(doc.currency)}</strong></p>${actions}`,
  );
}

async function errorPage(c: Context<AppEnv>, error: unknown): Promise<Response> {
  const message = error instanceof OpsLoopError ? error.message : 'Something went wrong; please try again later.';
  return c.html(page('Not available', `<h1>Not available</h1><p>${escape(message)}</p>`), httpStatusFor(error) as 400);
}

export function mountPublicPages(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  app.get('/q/:token', async (c) => {
    try {
      return c.html(quoteHtml(await documentByToken(opsloop.database.db, c.req.param('token')), c.req.param('token'), opsloop.config.businessName));
    } catch (error) {
      return errorPage(c, error);
    }
  });
  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/q/:token/${answer}`, async (c) => {
      try {
        const now = opsloop.engine.clock.now();
        const result = await opsloop.engine.committer.unit((tx) => respondToQuote(tx, opsloop.database.dialect, c.req.param('token'), answer, now, new Date(now).toISOString().slice(0, 10)));
        const text = answer === 'accept' ? `Thank you — ${result.quote.number} is accepted. ${opsloop.config.businessName} will send the invoice.` : `${result.quote.number} is declined. Thank you for letting us know.`;
        return c.html(page('Thank you', `<h1>Thank you</h1><p>${escape(text)}</p>`));
      } catch (error) {
        return errorPage(c, error);
      }
    });
  }
}
