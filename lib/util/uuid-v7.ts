import { fillRandom } from './random-pool.js';
import { uuidText } from './uuid-text.js';

const bytes = new Uint8Array(16);

/**
 * A version 7 UUID (RFC 9562): the Unix time in ms in the first 48 bits, then 74 random bits. Ids
 * made in a later millisecond sort after earlier ones, so a B-tree index on them grows at its right
 * edge, where pages stay cached, instead of splitting pages all over an index larger than memory.
 */
export function uuidV7(now: number = Date.now()): string {
  fillRandom(bytes, 6, 10);
  const high = Math.floor(now / 2 ** 24);
  const low = now % 2 ** 24;
  bytes[0] = high >>> 16;
  bytes[1] = (high >>> 8) & 0xff;
  bytes[2] = high & 0xff;
  bytes[3] = low >>> 16;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return uuidText(bytes);
}
