/**
 * The built-in OCR engine: one tesseract.js worker, started on the first `recognize` (starting
 * takes ~1 s) and reused; `close()` terminates it. Nothing is downloaded: the language data is
 * read from the installed `@tesseract.js-data/<lang>` package (`langPath` is a local folder, so
 * tesseract.js reads `<langPath>/<lang>.traineddata.gz` from disk, and `cacheMethod: 'none'`
 * stops it from reading or writing a cache copy in the working directory); the WebAssembly core
 * is `require`d from the installed tesseract.js-core.
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Image } from '@napi-rs/canvas';
import Tesseract from 'tesseract.js';
import { ErrorCategory, OpsLoopError, ValidationError, messageOf } from '../../core/errors.ts';
import { ocrFailed } from './errors.ts';
import { COLUMN_GAP_RATIO, segmentQuad, splitAtGaps, type TextRun } from './layout.ts';
import type { OcrEngine, OcrResult, OcrResultLine } from './types.ts';

export interface TesseractOcrOptions {
  /** Tesseract language code(s), `+`-separated. Default `eng`. */
  language?: string;
  /**
   * Local folder holding `<lang>.traineddata.gz` for every language. Default: the installed
   * `@tesseract.js-data/eng` package's LSTM model (`4.0.0_best_int`, what tesseract.js itself
   * picks for its default LSTM engine). URLs are refused: nothing is downloaded.
   */
  langPath?: string;
  /** Tesseract page segmentation mode. Default `3` (automatic), which copes with multi-column invoices. */
  pageSegMode?: string;
  /** A gap wider than this many line heights splits an OCR line in two. Default {@link COLUMN_GAP_RATIO}. */
  columnGapRatio?: number;
}

const LSTM_ONLY = 1 as Tesseract.OEM;

/** The installed English LSTM model folder. */
export function defaultLangPath(): string {
  const packageJson = createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json');
  return path.join(path.dirname(packageJson), '4.0.0_best_int');
}

/**
 * Creates the Tesseract engine. Cheap: the worker starts on the first image. Checks now that the
 * language data is on disk.
 *
 * @example
 * const ocr = await createTesseractOcr();
 * try { const { lines } = await ocr.recognize(png); } finally { await ocr.close(); }
 */
export async function createTesseractOcr(options: TesseractOcrOptions = {}): Promise<OcrEngine> {
  const language = options.language ?? 'eng';
  const langPath = options.langPath ?? defaultLangPath();
  const columnGapRatio = options.columnGapRatio ?? COLUMN_GAP_RATIO;
  if (/^[a-z][a-z0-9+.-]*:/i.test(langPath) && !/^[a-z]:[\\/]/i.test(langPath)) {
    throw new ValidationError('DOCUMENT_OPTIONS_INVALID', `OCR langPath must be a local folder, not a URL (${langPath}): OpsLoop never downloads OCR data.`);
  }
  for (const lang of language.split('+')) {
    const file = path.join(langPath, `${lang}.traineddata.gz`);
    try {
      await access(file);
    } catch (cause) {
      throw new OpsLoopError('OCR_LANGUAGE_DATA_MISSING', ErrorCategory.internal, `OCR language data for "${lang}" is missing at ${file}: install @tesseract.js-data/${lang} or pass langPath.`, { cause });
    }
  }

  let worker: Promise<Tesseract.Worker> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const start = (): Promise<Tesseract.Worker> => {
    worker ??= (async () => {
      const created = await Tesseract.createWorker(language, LSTM_ONLY, {
        langPath,
        gzip: true,
        cacheMethod: 'none',
        logger: () => undefined,
        errorHandler: () => undefined,
      });
      if (options.pageSegMode !== undefined) {
        await created.setParameters({ tessedit_pageseg_mode: options.pageSegMode as Tesseract.PSM });
      }
      return created;
    })();
    return worker;
  };

  const recognizeNow = async (image: Uint8Array): Promise<OcrResult> => {
    if (closed) throw ocrFailed('the OCR engine is closed');
    const { width, height } = imageSize(image);
    let page: Tesseract.Page;
    try {
      const ready = await start();
      page = (await ready.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { blocks: true, text: false })).data;
    } catch (cause) {
      // A failed worker is not reused: the next image starts a fresh one.
      const broken = worker;
      worker = undefined;
      await broken?.then((w) => w.terminate()).catch(() => undefined);
      throw ocrFailed(messageOf(cause), cause);
    }
    return { lines: linesOf(page, columnGapRatio), width, height };
  };

  return {
    recognize(image) {
      const run = queue.then(() => recognizeNow(image));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      closed = true;
      const current = worker;
      worker = undefined;
      await queue;
      if (current !== undefined) await current.then((w) => w.terminate()).catch(() => undefined);
    },
  };
}

/** Tesseract's lines, split at wide word gaps, without lines that hold no letter or digit (specks, rules). */
export function linesOf(page: Tesseract.Page, columnGapRatio = COLUMN_GAP_RATIO): OcrResultLine[] {
  const out: OcrResultLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const lineHeight = Math.max(1, line.bbox.y1 - line.bbox.y0);
        const runs: TextRun[] = line.words.map((word) => ({
          text: word.text,
          x0: word.bbox.x0,
          x1: word.bbox.x1,
          // Word boxes hug the ink; the line's box gives every word the same height for the gap test.
          top: Math.min(word.bbox.y0, line.bbox.y0),
          bottom: Math.max(word.bbox.y1, line.bbox.y0 + lineHeight),
          baseline: line.bbox.y1,
          confidence: clamp01(word.confidence / 100),
        }));
        for (const segment of splitAtGaps(runs, columnGapRatio)) {
          if (!/[\p{L}\p{N}]/u.test(segment.text)) continue;
          out.push({ text: segment.text, box: segmentQuad(segment), confidence: segment.confidence ?? clamp01(line.confidence / 100) });
        }
      }
    }
  }
  return out;
}

/** Width and height from the image header (decoding is lazy, so this is cheap). */
export function imageSize(image: Uint8Array): { width: number; height: number } {
  const decoded = new Image();
  decoded.src = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  if (decoded.width === 0 || decoded.height === 0) throw ocrFailed('the image could not be decoded');
  return { width: decoded.width, height: decoded.height };
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
