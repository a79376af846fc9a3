import type { HttpResponse } from '../harness/http-client.js';
import type { SampleNode } from '../harness/sample-node.js';

/** True when the request never reached a server: nothing listens on the port yet. */
function refused(error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
}

/**
 * Sends `request` to the first node that accepts the connection, starting at `nodes[start]` and
 * going round; a refused connection means no node ran anything, so trying the next one is safe.
 * Waits 50 ms after each full round; throws after `timeout` ms of refusals, or any other failure.
 */
export async function sendToFirstUp<T>(
  nodes: SampleNode[],
  start: number,
  request: (node: SampleNode) => Promise<HttpResponse<T>>,
  timeout = 60_000,
): Promise<{ node: SampleNode; response: HttpResponse<T> }> {
  const deadline = Date.now() + timeout;
  for (let attempt = 0; ; attempt++) {
    const node = nodes[(start + attempt) % nodes.length];
    try {
      return { node, response: await request(node) };
    } catch (error) {
      if (!refused(error) || Date.now() > deadline) throw error;
    }
    if ((attempt + 1) % nodes.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
