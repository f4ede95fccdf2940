/**
 * READ skill — offline field extraction from receipts and invoices.
 *
 * Input is OCR lines with boxes (or plain text lines); output is each field as printed, its typed
 * form, a confidence (the model's probability of being right) and the lines it was read from.
 *
 * @example
 * import { extractFields, VendorKnowledge } from './ai/read/index.ts';
 * const knowledge = new VendorKnowledge();
 * const { fields } = extractFields(ocrLines, { knowledge });
 * // a person fixes the vendor name; the next receipt from that vendor is read right:
 * knowledge.learn(ocrLines, { vendor: 'BOOK TA .K (TAMAN DAYA) SDN BHD' });
 */
export { FIELD_ALIASES, FIELD_NAMES, normaliseFieldKeys } from './types.ts';
export type { CorrectedFields, Evidence, FieldName, FieldValue, LabelledDocument, LineItem, OcrLine, Quad, ReadResult } from './types.ts';
export { extractFields, loadDefaultModel, type ExtractOptions } from './reader.ts';
export { VendorKnowledge, type VendorKnowledgeJSON, type VendorMatch } from './knowledge.ts';
export { trainReader, type ReaderCalibration, type ReaderModel, type TrainReaderOptions } from './train.ts';
export { calibrateReader, type CalibrateReaderOptions } from './calibrate.ts';
export { linesFromText, validateLines } from './validate.ts';
export { findAmounts, findDates, parseAmount, type AmountMatch, type DateMatch } from './patterns.ts';
export {
  evaluateReader,
  loadSroieJsonl,
  SROIE_KEYS,
  SROIE_TO_FIELD,
  sroieToLabelled,
  type ReaderEvaluation,
  type SroieExample,
  type SroieKey,
} from './eval.ts';
export { evaluateInvoices, loadInvoice2dataJsonl, type InvoiceEvaluation, type InvoiceExample } from './eval-invoices.ts';
