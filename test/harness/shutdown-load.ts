import type { SampleNode } from './sample-node.js';
import { connectionError } from './http-client.js';

/** One deposit sent while a node shuts down, and how it ended. */
export interface ShutdownCall {
  /** Its `Idempotency-Key`, stored as the command id. */
  key: string;
  via: string;
  /** When it was sent. */
  at: number;
  /** HTTP status; 0 when no answer came. */
  status: number;
  /** The error `code` of the answer, or of the connection failure. */
  error?: string;
}

/**
 * How a node on its way out turns a request away, nothing of it run: the connection is refused (it
 * stopped listening) or closed as the request arrived on an idle keep-alive connection, or the
 * library refused the command (`SHUTTING_DOWN`).
 */
export const REFUSALS = ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'SHUTTING_DOWN'];

/** Count of refused calls per error code. */
export function refusals(calls: ShutdownCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls.filter((c) => c.status !== 200))
    counts[call.error ?? String(call.status)] = (counts[call.error ?? String(call.status)] ?? 0) + 1;
  return counts;
}

/** Sends deposits of 1 to `accountId` through `node`, one at a time, until `stop()` or the node stops answering. */
export async function hammerDeposits(node: SampleNode, accountId: string, prefix: string, calls: ShutdownCall[], stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i++) {
    const call: ShutdownCall = { key: `${prefix}-${i}`, via: node.name, at: Date.now(), status: 0 };
    calls.push(call);
    try {
      const response = await node.http.post<{ code?: string }>(
        `/accounts/${accountId}/deposit`,
        { amount: 1 },
        { headers: { 'idempotency-key': call.key }, timeout: 30_000 },
      );
      call.status = response.status;
      call.error = response.body?.code;
    } catch (error) {
      call.error = connectionError(error);
      return;
    }
  }
}
