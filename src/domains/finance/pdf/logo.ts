/**
 * Checks a logo PNG completely before pdfkit sees it. pdfkit decodes some PNGs (those with an
 * alpha channel or interlacing) in an asynchronous callback that throws on damaged data, which
 * would take the whole process down instead of failing one render; so the image data is
 * inflated here, synchronously, and its size checked against the header.
 */
import { inflateSync } from 'node:zlib';

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
/** Larger images are pointless in a 150 × 60 pt box and cost memory to decode. */
export const MAX_LOGO_PIXELS_PER_SIDE = 4096;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Colour type → channels per pixel (PNG spec, IHDR). */
const CHANNELS: ReadonlyMap<number, number> = new Map([[0, 1], [2, 3], [3, 1], [4, 2], [6, 4]]);
const BIT_DEPTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);
const ADAM7 = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
] as const;

export interface PngSize {
  width: number;
  height: number;
}

/** Width and height of a PNG that passed {@link pngProblem}. */
export function pngSize(bytes: Uint8Array): PngSize {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Why these bytes are not a PNG pdfkit can embed, or null when they are. */
export function pngProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength > MAX_LOGO_BYTES) return `is larger than ${MAX_LOGO_BYTES} bytes`;
  if (bytes.byteLength < 33 || SIGNATURE.some((byte, index) => bytes[index] !== byte)) return 'is not a PNG image';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = (at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  if (view.getUint32(8) !== 13 || chunkType(8) !== 'IHDR') return 'is not a PNG image (no IHDR header)';
  const { width, height } = pngSize(bytes);
  const bitDepth = bytes[24] ?? 0;
  const colourType = bytes[25] ?? 0;
  const interlace = bytes[28] ?? 0;
  const channels = CHANNELS.get(colourType);
  if (width === 0 || height === 0) return 'has no pixels';
  if (width > MAX_LOGO_PIXELS_PER_SIDE || height > MAX_LOGO_PIXELS_PER_SIDE) {
    return `is larger than ${MAX_LOGO_PIXELS_PER_SIDE} × ${MAX_LOGO_PIXELS_PER_SIDE} pixels`;
  }
  if (channels === undefined || !(BIT_DEPTHS.get(colourType) ?? []).includes(bitDepth) || interlace > 1) {
    return 'has a colour type or bit depth PNG does not define';
  }

  const data: Uint8Array[] = [];
  let hasPalette = false;
  let ended = false;
  let at = 8;
  while (!ended && at + 12 <= bytes.byteLength) {
    const length = view.getUint32(at);
    const type = chunkType(at);
    if (at + 12 + length > bytes.byteLength) return `is cut short (chunk ${type})`;
    if (type === 'IDAT') data.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'PLTE') hasPalette = true;
    ended = type === 'IEND';
    at += 12 + length;
  }
  // pdfkit's PNG reader loops until IEND: without one it would never stop.
  if (!ended) return 'is cut short (no IEND chunk)';
  if (data.length === 0) return 'has no image data';
  if (colourType === 3 && !hasPalette) return 'uses a palette but has none';

  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data));
  } catch {
    return 'has damaged image data';
  }
  return scanlineProblem(pixels, width, height, channels * bitDepth, interlace === 1);
}

/** Every scanline must be there and start with a filter type PNG defines (0–4). */
function scanlineProblem(pixels: Uint8Array, width: number, height: number, bitsPerPixel: number, interlaced: boolean): string | null {
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const passWidth = Math.ceil((width - x0) / dx);
    const passHeight = Math.ceil((height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const rowBytes = Math.ceil((passWidth * bitsPerPixel) / 8);
    for (let row = 0; row < passHeight; row += 1) {
      const filter = pixels[offset];
      if (filter === undefined || offset + 1 + rowBytes > pixels.byteLength) return 'has less image data than its size needs';
      if (filter > 4) return 'has damaged image data (unknown row filter)';
      offset += 1 + rowBytes;
    }
  }
  return null;
}
