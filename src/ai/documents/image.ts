/** PNG and JPEG images: checked, normalised, OCR'd. */
import { createCanvas, Image } from '@napi-rs/canvas';
import { tooLarge, unreadable } from './errors.ts';
import type { DocumentLimits } from './options.ts';
import type { DocumentPage, OcrEngine } from './types.ts';

export interface ImageContext {
  filename: string | undefined;
  limits: DocumentLimits;
  ocr: () => Promise<OcrEngine>;
}

/** OCRs an image into one page whose units are the image's pixels (as displayed). */
export async function loadImagePage(bytes: Uint8Array, format: 'png' | 'jpeg', context: ImageContext): Promise<DocumentPage> {
  const { filename, limits } = context;
  const image = new Image();
  try {
    image.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (cause) {
    throw unreadable(filename, `it is not a valid ${format.toUpperCase()} image`, cause);
  }
  // Header size, before decoding: refuse a decompression bomb without allocating it.
  const { width, height } = image;
  if (width === 0 || height === 0) throw unreadable(filename, `it is not a valid ${format.toUpperCase()} image`);
  if (width * height > limits.maxImagePixels) {
    throw tooLarge(filename, `is ${width} × ${height} pixels`, `maxImagePixels = ${limits.maxImagePixels}`);
  }
  const input = format === 'jpeg' ? await uprightPng(image, filename) : bytes;
  const result = await (await context.ocr()).recognize(input);
  return {
    page: 1,
    width: result.width,
    height: result.height,
    source: 'ocr',
    lines: result.lines.map((line) => ({ text: line.text, box: line.box, page: 1, confidence: line.confidence })),
  };
}

/**
 * Phone photos are JPEGs stored sideways with an EXIF orientation tag, which Tesseract ignores.
 * Drawing the image applies the tag, so OCR sees the photo upright and boxes match what a person
 * sees. (~0.5 s for 12 megapixels, small next to the OCR itself.)
 */
export async function uprightPng(image: Image, filename: string | undefined): Promise<Buffer> {
  try {
    // Decoding applies the orientation: width and height become the upright ones.
    await image.decode();
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    return await canvas.encode('png');
  } catch (cause) {
    throw unreadable(filename, 'the JPEG image could not be decoded', cause);
  }
}
