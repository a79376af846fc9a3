import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { shown, textProblem } from './store-strings.js';

/** Largest page `listStreams` returns. */
export const MAX_STREAM_PAGE = 1000;

/** Which streams to list: stream ids in the store's order, a page at a time. */
export interface ListStreamsOptions {
  /** Only stream ids starting with this text. @default every stream */
  prefix?: string;
  /** The `next` cursor of the previous page. @default the first page */
  after?: string;
  /** Page size, 1 to 1000. */
  limit: number;
}

/** One stream as operators see it. */
export interface StreamSummary {
  streamId: string;
  /** Version of its last event. */
  version: number;
  /** Global position of its last event. */
  lastPosition: number;
  /** When its last event was written. */
  updatedAt: Date;
  /** True when it ends with the `$StreamDeleted` tombstone. */
  deleted: boolean;
}

/** A page of streams; `next` is set when more may follow and goes into `after` to fetch them. */
export interface StreamPage {
  streams: StreamSummary[];
  next?: string;
}

/** Throws `InvalidOptionsError` naming each bad field; nothing is read. */
export function assertListStreamsOptions(options: ListStreamsOptions): void {
  const problems: string[] = [];
  const { limit, prefix, after } = options ?? ({} as ListStreamsOptions);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STREAM_PAGE) {
    problems.push(`'limit' must be a whole number from 1 to ${MAX_STREAM_PAGE}, got ${shown(limit)}`);
  }
  for (const [key, value] of [
    ['prefix', prefix],
    ['after', after],
  ] as const) {
    if (value === undefined) continue;
    const problem = typeof value === 'string' ? textProblem(value) : 'must be a string';
    if (problem) problems.push(`'${key}' ${problem}, got ${shown(value)}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}

/** The page of `sorted` summaries that `options` asks for; shared by adapters that list in memory. */
export function pageOfStreams(sorted: StreamSummary[], options: ListStreamsOptions): StreamPage {
  const prefix = options.prefix ?? '';
  const after = options.after;
  const matching = sorted.filter((s) => (after === undefined || s.streamId > after) && s.streamId.startsWith(prefix));
  const streams = matching.slice(0, options.limit);
  return streams.length === options.limit && matching.length > options.limit ? { streams, next: streams[streams.length - 1].streamId } : { streams };
}
