import { createHash } from 'node:crypto';

/** The value as JSON sees it, with object keys sorted at every level. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * Fingerprint of a command's type and payload, recorded with its events. Keys are sorted, so the
 * same command built in another field order, or carried to another node as JSON, hashes the same.
 */
export function commandPayloadHash(commandName: string, command: object): string {
  const json = JSON.stringify(canonical(JSON.parse(JSON.stringify(command) ?? 'null')));
  return createHash('sha256').update(commandName).update('\u0000').update(json).digest('base64url');
}
