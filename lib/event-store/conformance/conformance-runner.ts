/** The assertions the conformance suites make; Jest's and Vitest's `expect` have them all. */
export interface ConformanceMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toStrictEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeInstanceOf(expected: unknown): void;
  toHaveLength(expected: number): void;
  toBeGreaterThan(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  rejects: { toThrow(expected?: string | RegExp): Promise<void> };
}

/** `expect` with the asymmetric matchers the suites use. */
export interface ConformanceExpect {
  (actual: unknown): ConformanceMatchers;
  any(type: unknown): unknown;
  objectContaining(expected: object): unknown;
  arrayContaining(expected: readonly unknown[]): unknown;
}

/**
 * The test functions the conformance suites run on: Jest's globals by default, or any runner with
 * the same shape (Vitest's `describe`, `it`, `beforeEach`, `afterEach`, `expect`).
 */
export interface ConformanceRunner {
  describe: (name: string, body: () => void) => void;
  it: (name: string, test: () => Promise<unknown>) => void;
  beforeEach: (hook: () => Promise<unknown>) => void;
  afterEach: (hook: () => Promise<unknown>) => void;
  expect: ConformanceExpect;
}

/** The runner's functions installed as globals (Jest, or Vitest with `globals: true`). */
export function globalRunner(): ConformanceRunner {
  const { describe, it, beforeEach, afterEach, expect } = globalThis as unknown as Partial<ConformanceRunner>;
  if (!describe || !it || !beforeEach || !afterEach || !expect) {
    throw new TypeError('No test runner globals (describe, it, beforeEach, afterEach, expect): pass the runner to the conformance suite');
  }
  return { describe, it, beforeEach, afterEach, expect };
}
