/**
 * Email as an external effect, sent over SMTP (nodemailer) by the outbox dispatcher. The
 * Message-ID is derived from the outbox idempotency key, so a message delivered twice after a
 * crash carries the same Message-ID and receiving systems can drop the copy.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { z } from 'zod';
import { NonRetriableError } from '../core/errors.ts';
import type { ActionDefinition, EffectHandler } from '../workflow/registry.ts';

export const emailPayload = z
  .object({
    to: z.union([z.email(), z.array(z.email()).min(1)]),
    cc: z.array(z.email()).optional(),
    subject: z.string().min(1).max(500),
    text: z.string().max(1_000_000),
    html: z.string().max(2_000_000).optional(),
    replyTo: z.email().optional(),
    attachments: z.array(z.object({ filename: z.string().min(1), contentType: z.string().min(1), contentBase64: z.string() }).strict()).max(20).optional(),
  })
  .strict();
export type EmailPayload = z.infer<typeof emailPayload>;

export function messageIdFor(idempotencyKey: string, domain = 'opsloop.local'): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** One message, as the email effects hand it to SMTP (the Message-ID comes from the delivery's idempotency key). */
export type MailMessage = Omit<SendMailOptions, 'from' | 'messageId'>;

export interface Mailer {
  /** Sends once per idempotency key's Message-ID; an unset SMTP_URL or a 5xx refusal is not retried. */
  send(message: MailMessage, idempotencyKey: string): Promise<{ externalId: string; response: { accepted: unknown; response: string } }>;
}

/** The SMTP side of every email effect: one transport per process, the same errors for all. */
export function createMailer(options: { smtpUrl: string | undefined; from: string }): Mailer {
  const transport = options.smtpUrl === undefined ? null : nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message, idempotencyKey) {
      if (transport === null) throw new NonRetriableError('Email is not configured: set SMTP_URL (e.g. smtp://user:pass@mail.example.com:587)', { code: 'EMAIL_NOT_CONFIGURED' });
      const messageId = messageIdFor(idempotencyKey);
      try {
        const info = await transport.sendMail({ ...message, from: options.from, messageId });
        return { externalId: messageId, response: { accepted: info.accepted, response: info.response } };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx from the server: the message itself is refused; retrying will not help.
        if (code !== undefined && code >= 500 && code < 600) throw new NonRetriableError(`SMTP refused the message: ${(error as Error).message}`, { code: 'EMAIL_REJECTED', cause: error });
        throw error;
      }
    },
  };
}

export function createEmailEffect(mailer: Mailer): EffectHandler {
  return {
    kind: 'email',
    async deliver(raw, delivery) {
      const payload = emailPayload.parse(raw);
      return mailer.send(
        {
          to: payload.to,
          ...(payload.cc === undefined ? {} : { cc: payload.cc }),
          ...(payload.replyTo === undefined ? {} : { replyTo: payload.replyTo }),
          subject: payload.subject,
          text: payload.text,
          ...(payload.html === undefined ? {} : { html: payload.html }),
          attachments: (payload.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
        },
        delivery.idempotencyKey,
      );
    },
  };
}

/** An action that queues an email through the outbox. */
export const sendEmailAction: ActionDefinition<EmailPayload, { outboxId: string }> = {
  name: 'email.send',
  description: 'Sends an email through the outbox (once, after the step commits).',
  input: emailPayload,
  pure: true,
  run: (input, ctx) => ({ outboxId: ctx.effect('email', input) }),
};
