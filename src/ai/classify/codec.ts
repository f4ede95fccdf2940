/**
 * Compact encoding of a trained model's arrays for plain-JSON storage (a database row).
 *
 * - Every array is a byte stream compressed with raw DEFLATE (node:zlib) and then base64.
 * - Float arrays are stored as their little-endian float32 bytes; the sorted hashed term ids as
 *   varint gaps.
 * - The weight matrix is quantised to 8 bits (one scale for the model) and pruned (weights that
 *   round to zero are dropped), then written per feature as: varint(count), and per kept weight
 *   varint(class - previous class) and one signed byte. Models are 5–20× smaller than float32.
 *   The in-memory model computes with the same 8-bit weights, so a JSON round trip gives
 *   identical predictions.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

function pack(bytes: Uint8Array | number[]): string {
  return deflateRawSync(Uint8Array.from(bytes), { level: 9 }).toString('base64');
}

function unpack(base64: string, what: string): Buffer {
  try {
    return inflateRawSync(Buffer.from(base64, 'base64'));
  } catch (cause) {
    throw new RangeError(`${what}: not valid compressed data`, { cause });
  }
}

/** Encoded float32 array. */
export function encodeFloat32Array(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return pack(bytes);
}

export function decodeFloat32Array(encoded: string, what: string): Float32Array {
  const bytes = unpack(encoded, what);
  if (bytes.length % 4 !== 0) throw new RangeError(`${what}: byte length ${bytes.length} is not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Encoded ascending uint32 array (as varint gaps). */
export function encodeSortedUint32Array(values: Uint32Array): string {
  const bytes: number[] = [];
  let previous = 0;
  for (const value of values) {
    if (value < previous) throw new RangeError('values must be ascending');
    pushVarint(bytes, value - previous);
    previous = value;
  }
  return pack(bytes);
}

export function decodeSortedUint32Array(encoded: string, what: string): Uint32Array {
  const reader = new VarintReader(unpack(encoded, what), what);
  const values: number[] = [];
  let previous = 0;
  while (!reader.done) {
    previous += reader.next();
    if (previous > 0xffffffff) throw new RangeError(`${what}: value out of range`);
    values.push(previous);
  }
  return Uint32Array.from(values);
}

function pushVarint(bytes: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
}

class VarintReader {
  #at = 0;
  readonly #bytes: Uint8Array;
  readonly #what: string;
  constructor(bytes: Uint8Array, what: string) {
    this.#bytes = bytes;
    this.#what = what;
  }
  get done(): boolean {
    return this.#at >= this.#bytes.length;
  }
  next(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      if (this.#at >= this.#bytes.length) throw new RangeError(`${this.#what}: unexpected end of data`);
      const byte = this.#bytes[this.#at++] as number;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
      if (factor > 2 ** 35) throw new RangeError(`${this.#what}: varint too long`);
    }
  }
  byte(): number {
    if (this.#at >= this.#bytes.length) throw new RangeError(`${this.#what}: unexpected end of data`);
    return this.#bytes[this.#at++] as number;
  }
}

/** 8-bit quantisation: `weight ≈ q × scale`, q in [-127, 127]. */
export interface QuantizedWeights {
  scale: number;
  values: Int8Array;
}

/** Quantise; weights with |w| < `pruneBelow` become 0 (dropped from the encoding). */
export function quantizeWeights(weights: Float32Array, pruneBelow: number): QuantizedWeights {
  let maxAbs = 0;
  for (const w of weights) maxAbs = Math.max(maxAbs, Math.abs(w));
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const values = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (Math.abs(w) < pruneBelow) continue;
    values[i] = Math.max(-127, Math.min(127, Math.round(w / scale)));
  }
  return { scale, values };
}

/** The float weights a quantised matrix stands for (what both training and loading use). */
export function dequantizeWeights({ scale, values }: QuantizedWeights): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) * scale;
  return out;
}


/** Sparse encoding of a feature-major quantised matrix, as base64. */
export function encodeSparseInt8(values: Int8Array, features: number, classes: number): string {
  const bytes: number[] = [];
  for (let f = 0; f < features; f++) {
    const offset = f * classes;
    let count = 0;
    for (let c = 0; c < classes; c++) if (values[offset + c] !== 0) count++;
    pushVarint(bytes, count);
    let previous = 0;
    for (let c = 0; c < classes; c++) {
      const q = values[offset + c] as number;
      if (q === 0) continue;
      pushVarint(bytes, c - previous);
      previous = c;
      bytes.push(q & 0xff);
    }
  }
  return pack(bytes);
}

/** Inverse of {@link encodeSparseInt8}; throws RangeError on malformed input. */
export function decodeSparseInt8(encoded: string, features: number, classes: number): Int8Array {
  const reader = new VarintReader(unpack(encoded, 'weights'), 'weights');
  const out = new Int8Array(features * classes);
  for (let f = 0; f < features; f++) {
    const count = reader.next();
    let c = 0;
    for (let k = 0; k < count; k++) {
      c += reader.next();
      if (c >= classes) throw new RangeError(`weights: bad class for feature ${f}`);
      out[f * classes + c] = (reader.byte() << 24) >> 24;
    }
  }
  if (!reader.done) throw new RangeError('weights: trailing data');
  return out;
}
