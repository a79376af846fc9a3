import { fillRandom } from './random-pool.js';
import { uuidText } from './uuid-text.js';

const bytes = new Uint8Array(16);

/**
 * A random (version 4) UUID, as one flat string. node:crypto's randomUUID joins its text from
 * twenty pieces: a tree of strings that every id keeps for as long as it lives, in the command
 * ids and the metadata of every event written.
 */
export function uuidV4(): string {
  fillRandom(bytes, 0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return uuidText(bytes);
}
