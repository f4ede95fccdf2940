import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeFloat32Array,
  decodeSortedUint32Array,
  decodeSparseInt8,
  dequantizeWeights,
  encodeFloat32Array,
  encodeSortedUint32Array,
  encodeSparseInt8,
  quantizeWeights,
} from '../../../src/ai/classify/codec.ts';

describe('codec', () => {
  it('round-trips float32 arrays exactly', () => {
    const values = Float32Array.from([0, -1.5, 3.25e-7, 1e30, Math.PI]);
    assert.deepEqual(decodeFloat32Array(encodeFloat32Array(values), 'x'), values);
  });

  it('round-trips ascending uint32 arrays, including large values', () => {
    const values = Uint32Array.from([0, 1, 1, 200, 0x3fffffff, 0xffffffff]);
    assert.deepEqual(decodeSortedUint32Array(encodeSortedUint32Array(values), 'keys'), values);
    assert.throws(() => encodeSortedUint32Array(Uint32Array.from([5, 3])), RangeError);
  });

  it('quantises to 8 bits, prunes small weights, and round-trips the sparse matrix', () => {
    const weights = Float32Array.from([1.27, -0.01, 0, 0.5, -1.27, 0.02]);
    const quantized = quantizeWeights(weights, 0.015);
    assert.deepEqual([...quantized.values], [127, 0, 0, 50, -127, 2]);
    const restored = dequantizeWeights(quantized);
    for (let i = 0; i < weights.length; i++) assert.ok(Math.abs((restored[i] as number) - (weights[i] as number)) <= 0.01 + 1e-6);
    const encoded = encodeSparseInt8(quantized.values, 2, 3);
    assert.deepEqual(decodeSparseInt8(encoded, 2, 3), quantized.values);
  });

  it('rejects damaged data with RangeError', () => {
    const encoded = encodeSparseInt8(Int8Array.from([1, 2, 3, 4]), 2, 2);
    assert.throws(() => decodeSparseInt8(encoded, 3, 2), RangeError, 'too few entries');
    assert.throws(() => decodeSparseInt8(encoded, 1, 2), RangeError, 'trailing data');
    assert.throws(() => decodeSparseInt8('not base64 deflate', 1, 2), RangeError);
    assert.throws(() => decodeFloat32Array(encodeSortedUint32Array(Uint32Array.from([1, 2, 3])), 'idf'), RangeError);
  });
});
