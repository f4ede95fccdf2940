/** The end of the document: payment instructions, bank details and pay link, terms and notes. */
import { groupIban } from './format.ts';
import { showsBankDetails } from './labels.ts';
import type { ValidDocument } from './schema.ts';
import { COLORS, STYLES, type Sheet } from './sheet.ts';

function bankLines(doc: ValidDocument): string[] {
  const bank = doc.business.bank;
  if (bank === null || !showsBankDetails(doc.kind)) return [];
  const lines: string[] = [];
  if (bank.accountName !== null) lines.push(`Account name: ${bank.accountName}`);
  if (bank.iban !== null) lines.push(`IBAN: ${groupIban(bank.iban)}`);
  if (bank.bic !== null) lines.push(`BIC: ${bank.bic}`);
  if (bank.accountNumber !== null) lines.push(`Account number: ${bank.accountNumber}`);
  if (bank.sortCode !== null) lines.push(`Sort code: ${bank.sortCode}`);
  return lines;
}

/** A heading, kept on the same page as the first lines (up to three) of what follows it. */
function heading(sheet: Sheet, title: string, firstText: string): void {
  const lineHeight = sheet.textHeight('X', STYLES.body, sheet.width);
  const following = Math.min(sheet.textHeight(firstText, STYLES.body, sheet.width), 3 * lineHeight);
  sheet.ensureSpace(sheet.textHeight(title, STYLES.heading, sheet.width) + 3 + following);
  sheet.flow(title, STYLES.heading, 3);
}

/** Payment instructions, bank details and the pay link, when there are any. */
export function drawPayment(sheet: Sheet, doc: ValidDocument): void {
  const bank = bankLines(doc);
  if (doc.paymentInstructions === null && bank.length === 0 && doc.payUrl === null) return;
  heading(sheet, 'Payment', doc.paymentInstructions ?? (bank.length > 0 ? bank.join('\n') : `Pay online: ${doc.payUrl ?? ''}`));
  if (doc.paymentInstructions !== null) sheet.flow(doc.paymentInstructions, STYLES.body, 4);
  if (bank.length > 0) sheet.flow(bank.join('\n'), STYLES.body, 4);
  if (doc.payUrl !== null) {
    const label = 'Pay online: ';
    const labelWidth = sheet.textWidth(label, STYLES.strong) + 1;
    const style = { ...STYLES.body, color: COLORS.link };
    const urlWidth = sheet.width - labelWidth;
    sheet.ensureSpace(sheet.textHeight(doc.payUrl, style, urlWidth) + 4);
    sheet.text(label, sheet.left, sheet.y, labelWidth, STYLES.strong);
    sheet.y += sheet.text(doc.payUrl, sheet.left + labelWidth, sheet.y, urlWidth, style, 'left', doc.payUrl) + 4;
  }
  sheet.y += 12;
}

/** Terms, then notes, each under its heading; long text flows onto further pages. */
export function drawTermsAndNotes(sheet: Sheet, doc: ValidDocument): void {
  for (const [title, text] of [['Terms', doc.terms], ['Notes', doc.notes]] as const) {
    if (text === null) continue;
    heading(sheet, title, text);
    sheet.flow(text, STYLES.body, 14);
  }
}
