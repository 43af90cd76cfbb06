import { createRequire } from 'node:module';
import fc from 'fast-check';

/**
 * patches/kafkajs@2.2.4.patch makes two parts of kafkajs's producer cheaper: the record batch's
 * CRC-32C is computed eight bytes per step, and the protocol encoder's buffers are not
 * zero-filled. A wrong checksum is refused by the broker (the integration suites produce through
 * it); these tests name the patched parts directly.
 */
const load = createRequire(require.resolve('kafkajs'));
const crc32C = load('./src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
interface Encoder {
  writeInt32(value: number): Encoder;
  writeString(value: string): Encoder;
  writeVarIntBytes(value: Buffer | string): Encoder;
  buffer: Buffer;
}
const Encoder = load('./src/protocol/encoder') as new (initialSize?: number) => Encoder;

/** CRC-32C bit by bit from its definition (reflected polynomial 0x82F63B78): no tables to share a mistake with. */
function crc32cByBits(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('kafkajs as patched', () => {
  it('gives the standard CRC-32C check value of "123456789" (0xE3069283) and 0 for nothing', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32C(Buffer.alloc(0))).toBe(0);
  });

  it('computes the CRC-32C of any bytes, whatever their length and their offset in a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, skip) => {
        // A view that starts mid-buffer, as kafkajs's slices of pooled buffers do.
        const view = Buffer.concat([Buffer.alloc(skip, 0xaa), Buffer.from(bytes)]).subarray(skip);
        expect(crc32C(view)).toBe(crc32cByBits(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes only what was written, whatever the memory its unfilled buffers reused held', () => {
    const encode = (values: string[]) => {
      const encoder = new Encoder(8);
      for (const [i, value] of values.entries()) encoder.writeInt32(i).writeString(value).writeVarIntBytes(Buffer.from(value));
      return encoder.buffer;
    };
    const expected = (values: string[]) =>
      Buffer.concat(
        values.flatMap((value, i) => {
          const bytes = Buffer.from(value);
          const int32 = Buffer.alloc(4);
          int32.writeInt32BE(i);
          const length = Buffer.alloc(2);
          length.writeInt16BE(bytes.length);
          // writeVarIntBytes: zigzag varint length (lengths here stay under 64: one byte).
          return [int32, length, bytes, Buffer.from([bytes.length * 2]), bytes];
        }),
      );
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20, unit: 'grapheme-ascii' }), { maxLength: 40 }), (values) => {
        // Garbage left in the pool the encoder's buffers are cut from.
        Buffer.allocUnsafe(4096).fill(0xee);
        expect(encode(values).equals(expected(values))).toBe(true);
      }),
    );
  });
});
