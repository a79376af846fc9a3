import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field as stored: its JSON encrypted with AES-256-GCM under the subject's key, a fresh
 * 96-bit IV per value, and the event id and field name as associated data, so a sealed value copied
 * into another event or field does not open. `data` is the ciphertext followed by the 16-byte tag.
 */
export interface SealedValue {
  /** Format version of the envelope. */
  $sealed: 1;
  iv: string;
  data: string;
}

const ALGORITHM = 'aes-256-gcm';
const TAG_BYTES = 16;

/** Length of a subject key in bytes (AES-256). */
export const SUBJECT_KEY_BYTES = 32;

/** A new random subject key. */
export const newSubjectKey = (): Buffer => randomBytes(SUBJECT_KEY_BYTES);

const boundTo = (eventId: string, field: string): Buffer => Buffer.from(`${eventId}\u0000${field}`);

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === 'object' && value !== null && (value as SealedValue).$sealed === 1;

/** `value` sealed with `key` for field `field` of event `eventId`. */
export function sealValue(key: Buffer, eventId: string, field: string, value: unknown): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(boundTo(eventId, field));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { $sealed: 1, iv: iv.toString('base64'), data: data.toString('base64') };
}

/**
 * The value sealed in `sealed`, or `undefined` when `key` does not open it (another key, or a
 * changed envelope). Never throws: the caller then reads the field as forgotten, and no error
 * carries anything of the key or the ciphertext.
 */
export function openSealedValue(key: Buffer, eventId: string, field: string, sealed: SealedValue): { value: unknown } | undefined {
  try {
    const data = Buffer.from(sealed.data, 'base64');
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64')).setAAD(boundTo(eventId, field));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
