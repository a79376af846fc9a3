import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { CONSISTENCY_LEVELS } from '../decorators/subscription-options.js';
import { type DispatchOptions, RETURNING } from './dispatch-options.js';
import { listed } from '../util/listed.js';
import { identifierProblem, textProblem } from '../event-store/store-strings.js';
import { expectedVersionProblem } from '../event-store/expected-version.js';

/** The command id is a stored key; causation and correlation ids are stored text. */
const idProblem = (key: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (key === 'commandId') return identifierProblem(value);
  return typeof value === 'string' && value !== '' ? textProblem(value) : 'must be a non-empty string';
};

/** True when `value` survives the JSON encoding it gets when stored. */
function isJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/** Checks one dispatch's options; names every bad key and what it accepts. */
export function validateDispatchOptions(options: DispatchOptions, knownSubscriptions: () => string[]): void {
  const problems: string[] = [];
  const { consistency, timeout, returning, metadata, expectedVersion } = options;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    problems.push(`'timeout' must be a positive number of ms, got ${JSON.stringify(timeout)}`);
  }
  if (Array.isArray(consistency)) {
    const known = knownSubscriptions();
    const unknown = consistency.filter((name) => !known.includes(name));
    if (unknown.length) problems.push(`'consistency' names unknown subscriptions [${unknown.join(', ')}]; known: [${known.join(', ')}]`);
  } else if (consistency !== undefined && !CONSISTENCY_LEVELS.includes(consistency)) {
    problems.push(`'consistency' must be one of ${listed(CONSISTENCY_LEVELS)} or a list of subscription names, got ${JSON.stringify(consistency)}`);
  }
  if (returning !== undefined && !RETURNING.includes(returning)) {
    problems.push(`'returning' must be one of ${listed(RETURNING)}, got ${JSON.stringify(returning)}`);
  }
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
    problems.push(`'metadata' must be a plain object`);
  } else if (metadata !== undefined && !isJson(metadata)) {
    problems.push(`'metadata' must be JSON data (it is stored with every event): no cycles, BigInt values or throwing getters`);
  }
  const versionProblem = expectedVersion === undefined ? undefined : expectedVersionProblem(expectedVersion);
  if (versionProblem) problems.push(`'expectedVersion' ${versionProblem}`);
  for (const key of ['commandId', 'causationId', 'correlationId'] as const) {
    const problem = idProblem(key, options[key]);
    if (problem) problems.push(`'${key}' ${problem}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}
