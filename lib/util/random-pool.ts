import { randomFillSync } from 'node:crypto';

// One call into the system's random source per 4 KiB of ids rather than per id: that call, not the
// formatting, was most of an id's cost (node:crypto's randomUUID pools the same way).
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** Writes `count` (at most 4096) random bytes into `target` from `at`, out of a pool refilled when it runs short. */
export function fillRandom(target: Uint8Array, at: number, count: number): void {
  if (offset + count > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  // Byte by byte: Buffer's copy checks its arguments at more cost than copying a few bytes.
  for (let i = 0; i < count; i++) target[at + i] = pool[offset + i];
  offset += count;
}
