/** `'a', 'b', 'c'`: the accepted values of a closed set, for error messages. */
export const listed = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
