/**
 * RFC 822 emails (.eml) through mailparser: headers, the body as box-less lines of page 1 (HTML
 * converted to text when there is no text part), and every attachment loaded
 * recursively. An attachment that cannot be loaded is reported on its entry, never thrown, so
 * one bad file does not lose the rest of the email.
 */
import { simpleParser, type AddressObject, type EmailAddress as ParsedAddress, type ParsedMail } from 'mailparser';
import { messageOf, OpsLoopError } from '../../core/errors.ts';
import { formatBytes, tooLarge, unreadable } from './errors.ts';
import type { DocumentLimits } from './options.ts';
import { textPages } from './text.ts';
import type { DocumentAttachment, DocumentPage, EmailAddress, EmailInfo, LoadedDocument } from './types.ts';

export interface EmailContext {
  filename: string | undefined;
  limits: DocumentLimits;
  /** Nesting depth of this email: 0 for the file itself, 1 for an email attached to it… */
  depth: number;
  signal: AbortSignal | undefined;
  /** Loads an attachment (any supported kind) one level deeper. */
  loadChild: (bytes: Uint8Array, declared: { filename: string | undefined; contentType: string }) => Promise<LoadedDocument>;
}

export interface LoadedEmail {
  email: EmailInfo;
  pages: DocumentPage[];
  attachments: DocumentAttachment[];
}

/** How every email is parsed: the loader and `emailAttachmentFile` must number attachments alike. */
export const PARSER_OPTIONS = {
  skipHtmlToText: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  checksumAlgo: false,
  maxHtmlLengthToParse: 5 * 1024 * 1024,
} as const;

export async function loadEmail(bytes: Uint8Array, context: EmailContext): Promise<LoadedEmail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), PARSER_OPTIONS);
  } catch (cause) {
    throw unreadable(context.filename, 'it is not a valid email message', cause);
  }
  let body = parsed.text ?? '';
  if (body.trim() === '' && typeof parsed.html === 'string') body = await htmlToText(parsed.html);
  const text = body.replace(/\f/g, '\n').trim();
  const email: EmailInfo = {
    from: addresses(parsed.from)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    subject: parsed.subject ?? null,
    date: dateOf(parsed),
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references: parsed.references === undefined ? [] : [parsed.references].flat(),
    text,
  };
  if (typeof parsed.html === 'string') email.html = parsed.html;
  const attachments: DocumentAttachment[] = [];
  for (const attachment of parsed.attachments) {
    context.signal?.throwIfAborted();
    attachments.push(await loadAttachment(attachment, context));
  }
  return { email, pages: textPages(text), attachments };
}

/**
 * HTML body → text. mailparser converts HTML only when it is the whole message (not an HTML-only
 * body next to attachments), and runs table cells and rows together ("TotalEUR 19.90"). So the
 * loader parses with `skipHtmlToText` and converts here: cell ends get spaces and row ends line
 * breaks (cells come out 2+ spaces apart, as a box-less reader expects columns), then the HTML is
 * parsed again as a message of its own to use mailparser's converter (html-to-text) without
 * depending on it directly.
 */
async function htmlToText(html: string): Promise<string> {
  const hinted = html.replace(/<\/t[dh]\s*>/gi, ' &nbsp; $&').replace(/<\/tr\s*>/gi, '<br>$&');
  const encoded = Buffer.from(hinted, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const message = `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${encoded}\r\n`;
  try {
    const text = (await simpleParser(Buffer.from(message, 'ascii'), { ...PARSER_OPTIONS, skipHtmlToText: false })).text ?? '';
    return text.replace(/\u00a0/g, ' ').replace(/ ?\[cid:[^\]]*\]/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
  } catch {
    return '';
  }
}

async function loadAttachment(attachment: ParsedMail['attachments'][number], context: EmailContext): Promise<DocumentAttachment> {
  const { limits } = context;
  const entry: DocumentAttachment = {
    filename: attachment.filename ?? '',
    contentType: attachment.contentType,
    size: attachment.size,
    document: null,
  };
  const name = attachment.filename ?? `attachment ${attachment.partId ?? ''}`.trim();
  if (attachment.related === true && attachment.contentType.startsWith('image/')) {
    // Logos and pictures the HTML body shows (multipart/related with a Content-ID); a photo
    // of a receipt sent from a phone is a plain (mixed) part and is read.
    entry.skipped = 'image embedded in the HTML body';
    return entry;
  }
  try {
    if (context.depth + 1 > limits.maxEmailDepth) {
      throw tooLarge(name, `is attached ${context.depth + 1} levels deep`, `maxEmailDepth = ${limits.maxEmailDepth}`);
    }
    if (attachment.size > limits.maxAttachmentBytes) {
      throw tooLarge(name, `is ${formatBytes(attachment.size)}`, `maxAttachmentBytes = ${formatBytes(limits.maxAttachmentBytes)}`);
    }
    entry.document = await context.loadChild(attachment.content, { filename: attachment.filename, contentType: attachment.contentType });
  } catch (error) {
    if (context.signal?.aborted === true) throw error;
    entry.error = messageOf(error);
    entry.errorCode = error instanceof OpsLoopError ? error.code : 'DOCUMENT_UNREADABLE';
  }
  return entry;
}

function addresses(header: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  if (header === undefined) return [];
  const flatten = (list: readonly ParsedAddress[]): EmailAddress[] =>
    list.flatMap((entry) => (entry.group !== undefined ? flatten(entry.group) : [{ name: entry.name, address: entry.address ?? '' }]));
  return [header].flat().flatMap((object) => flatten(object.value));
}

/** mailparser fills in "now" for a Date header it cannot parse; that is no date at all. */
function dateOf(parsed: ParsedMail): string | null {
  const line = parsed.headerLines.find((header) => header.key === 'date')?.line;
  if (line === undefined || parsed.date === undefined || Number.isNaN(parsed.date.getTime())) return null;
  const raw = line.replace(/^date:\s*/i, '').replace(/\s+/g, ' ').trim();
  if (Number.isNaN(Date.parse(raw))) return null;
  return parsed.date.toISOString();
}
