/**
 * Email as an external effect, sent over SMTP (nodemailer) by the outbox dispatcher. The
 * Message-ID is derived from the outbox idempotency key, so a message delivered twice after a
 * crash carries the same Message-ID and receiving systems can drop the copy.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { SMTPSentMessageInfo, SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
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
  /** Sends once per idempotency key's Message-ID; no mail server or a 5xx refusal is not retried. */
  send(message: MailMessage, idempotencyKey: string): Promise<{ externalId: string; response: { accepted: unknown; response: string } }>;
}

/** The sender: an address, "Name <address>", or the parts. */
export type MailSender = string | { name: string; address: string };

/** The mail settings one send uses. */
export interface MailConfig {
  /** what nodemailer.createTransport gets: an smtp(s):// URL or options; null when no server is set */
  transport: string | SMTPTransportOptions | null;
  from: MailSender;
}

/** Where the mailer reads the settings in force when it sends (see mail-settings.ts). */
export interface MailConfigSource {
  current(): Promise<MailConfig>;
}

interface ActiveTransport {
  key: string;
  transport: Transporter<SMTPSentMessageInfo>;
  sending: number;
  retired: boolean;
}

/**
 * The SMTP side of every email effect, shared by all of them in a process: it sends with the
 * settings in force at send time and keeps one transport per distinct server configuration — a
 * changed configuration gets a new transport, and the old one is closed once its sends are done.
 *
 * @example
 * createMailer({ smtpUrl: process.env.SMTP_URL, from: 'OpsLoop <opsloop@localhost>' }); // fixed settings
 * createMailer(mailSettings(database, config));                                          // Settings over the environment
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string } | MailConfigSource): Mailer {
  const source: MailConfigSource = 'current' in options ? options : { current: () => Promise.resolve({ transport: options.smtpUrl ?? null, from: options.from }) };
  let active: ActiveTransport | null = null;
  const release = (entry: ActiveTransport): void => {
    if (entry.retired && entry.sending === 0) entry.transport.close();
  };
  const transportFor = (config: string | SMTPTransportOptions): ActiveTransport => {
    const key = JSON.stringify(config);
    if (active?.key !== key) {
      if (active !== null) {
        active.retired = true;
        release(active);
      }
      active = { key, transport: nodemailer.createTransport(config), sending: 0, retired: false };
    }
    return active;
  };
  return {
    async send(message, idempotencyKey) {
      const config = await source.current();
      if (config.transport === null) throw new NonRetriableError('Email is not configured: set the mail server in Settings → Email, or SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) where OpsLoop runs', { code: 'EMAIL_NOT_CONFIGURED' });
      const entry = transportFor(config.transport);
      const messageId = messageIdFor(idempotencyKey);
      entry.sending += 1;
      try {
        const info = await entry.transport.sendMail({ ...message, from: config.from, messageId });
        return { externalId: messageId, response: { accepted: info.accepted, response: info.response } };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx from the server: the message itself is refused; retrying will not help.
        if (code !== undefined && code >= 500 && code < 600) throw new NonRetriableError(`SMTP refused the message: ${(error as Error).message}`, { code: 'EMAIL_REJECTED', cause: error });
        throw error;
      } finally {
        entry.sending -= 1;
        release(entry);
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
