/** Problems with an id field, as strings for `InvalidCommandError`. */
export const requiredId = (field: string, value: unknown): string[] =>
  typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? [] : [`'${field}' must be 1-64 letters, digits, '_', '.' or '-'`];

/** Problems with a money amount (whole units, safe integers; -0 is not a number a client means). */
export const positiveAmount = (field: string, value: unknown, { allowZero = false } = {}): string[] =>
  Number.isSafeInteger(value) && !Object.is(value, -0) && ((value as number) > 0 || (allowZero && value === 0))
    ? []
    : [`'${field}' must be a ${allowZero ? 'non-negative' : 'positive'} whole number`];

/** True when `a + b` is computed exactly: balances and amounts are plain JSON numbers. */
export const exactSum = (a: number, b: number): boolean => Number.isSafeInteger(a + b);

/** Problems with an optional account holder: `{ name, email }`, both non-empty strings of at most 200 characters. */
export const optionalHolder = (field: string, value: unknown): string[] => {
  if (value === undefined) return [];
  const holder = value as Record<string, unknown> | null;
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= 200;
  return typeof holder === 'object' && holder !== null && !Array.isArray(holder) && text(holder.name) && text(holder.email)
    ? []
    : [`'${field}' must be { name, email }, both non-empty strings of at most 200 characters`];
};
