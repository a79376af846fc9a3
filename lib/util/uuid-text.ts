const DASH = 0x2d;
/** The two ASCII hex digits of each byte value, side by side. */
const HEX_DIGITS = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''), 'latin1');
/** Where each byte's two digits go in the 36 characters. */
const DIGITS_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.alloc(36);
text[8] = text[13] = text[18] = text[23] = DASH;

/**
 * The canonical 8-4-4-4-12 hex text of the first 16 bytes of `bytes`. Written into one buffer
 * and read out as one flat string: sliced and joined hex was a tree of strings, which every
 * lookup of the id in a map and every match against a pattern flattened again.
 */
export function uuidText(bytes: Uint8Array): string {
  for (let i = 0; i < 16; i++) {
    const at = DIGITS_AT[i];
    const digits = 2 * bytes[i];
    text[at] = HEX_DIGITS[digits];
    text[at + 1] = HEX_DIGITS[digits + 1];
  }
  return text.toString('latin1', 0, 36);
}
