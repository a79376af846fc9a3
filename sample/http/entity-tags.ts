/** The part of a response that takes headers. */
export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

/**
 * The entity tag of an aggregate's stream version, e.g. `W/"7"`. Weak: it names the version, and
 * a representation of one version may still change (a forgotten holder reads `[forgotten]` from
 * then on) without the aggregate moving.
 */
export const etagOf = (version: number): string => `W/"${version}"`;

/** Sets the `ETag` of the version `body` is at, and gives the body back for the route to return. */
export function tagged<T extends { version: number }>(response: HeaderTarget, body: T): T {
  response.setHeader('ETag', etagOf(body.version));
  return body;
}
