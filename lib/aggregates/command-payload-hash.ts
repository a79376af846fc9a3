import { hash } from 'node:crypto';

/** The value as JSON sees it, with object keys sorted at every level. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

const isFlatValue = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/**
 * The canonical JSON of the usual command, written directly: an object of strings, finite numbers,
 * booleans and nulls, without `toJSON` or index-like keys (which JSON objects order apart). Gives
 * exactly what the general path would, or undefined when the command is not of that kind.
 */
function flatCanonicalJson(command: object): string | undefined {
  if (typeof (command as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const keys = Object.keys(command).sort();
  let json = '{';
  for (const key of keys) {
    const value = (command as Record<string, unknown>)[key];
    if (!isFlatValue(value) || (key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57)) return undefined;
    if (value === undefined) continue;
    json += `${json.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return `${json}}`;
}

/**
 * Fingerprint of a command's type and payload, recorded with its events. Keys are sorted, so the
 * same command built in another field order, or carried to another node as JSON, hashes the same.
 */
export function commandPayloadHash(commandName: string, command: object): string {
  const json = flatCanonicalJson(command) ?? JSON.stringify(canonical(JSON.parse(JSON.stringify(command) ?? 'null')));
  return hash('sha256', `${commandName}\u0000${json}`, 'base64url');
}
