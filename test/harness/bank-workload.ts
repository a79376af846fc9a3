import type { SampleCluster } from './sample-cluster.js';
import type { SampleNode } from './sample-node.js';

/** The commands the workload sends. */
export type CommandKind = 'open' | 'deposit' | 'withdraw' | 'transfer';

/** One command sent and what came back; `status` 0 means no answer (refused, reset, timed out). */
export interface SentCommand {
  kind: CommandKind;
  /** Its Idempotency-Key, which the store keeps as the events' `commandId`. */
  key: string;
  accountId: string;
  to?: string;
  amount: number;
  node: string;
  status: number;
  code?: string;
}

/** How much to send and where. */
export interface WorkloadOptions {
  cluster: SampleCluster;
  accounts: string[];
  clientsPerNode: number;
  /** Stop after this many commands in all... */
  commands: number;
  /** ...or once this says so (checked before each command), e.g. after the last injected fault. @default never */
  until?: () => boolean;
  /** Prefix of keys and transfer ids, unique per run. */
  prefix: string;
  seed?: number;
  /** Called after each answer, e.g. to inject a fault at a given point. */
  onSent?: (sent: SentCommand, count: number) => void | Promise<void>;
}

/** A small seeded generator, so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROUTES: Record<CommandKind, (c: SentCommand) => [string, unknown]> = {
  open: (c) => ['/accounts', { accountId: c.accountId, initialBalance: c.amount }],
  deposit: (c) => [`/accounts/${c.accountId}/deposit`, { amount: c.amount }],
  withdraw: (c) => [`/accounts/${c.accountId}/withdraw`, { amount: c.amount }],
  transfer: (c) => ['/transfers', { transferId: c.key, from: c.accountId, to: c.to, amount: c.amount }],
};

/**
 * Sends one command with its key as Idempotency-Key; never throws. The node answers 504 after its own
 * command timeout, so the client's bound only stops a request to a node that hangs.
 */
export async function send(node: SampleNode, command: Omit<SentCommand, 'node' | 'status'>): Promise<SentCommand> {
  const sent: SentCommand = { ...command, node: node.name, status: 0 };
  const [path, body] = ROUTES[command.kind](sent);
  try {
    const response = await node.http.post(path, body, { headers: { 'idempotency-key': command.key }, timeout: 30_000 });
    return { ...sent, status: response.status, code: response.body?.code };
  } catch {
    return sent;
  }
}

function pickCommand(random: () => number, accounts: string[], key: string): Omit<SentCommand, 'node' | 'status'> {
  const roll = random();
  const accountId = accounts[Math.floor(random() * accounts.length)];
  const amount = 1 + Math.floor(random() * 100);
  if (roll < 0.05) return { kind: 'open', key, accountId, amount };
  if (roll < 0.55) return { kind: 'deposit', key, accountId, amount };
  if (roll < 0.92) return { kind: 'withdraw', key, accountId, amount };
  const to = accounts[(accounts.indexOf(accountId) + 1 + Math.floor(random() * (accounts.length - 1))) % accounts.length];
  return { kind: 'transfer', key, accountId, to, amount };
}

/** A node to send to: the client's own while it runs, else any running one. */
const nodeFor = (cluster: SampleCluster, home: number, random: () => number): SampleNode | undefined => {
  const own = cluster.node(home);
  if (own.running) return own;
  const running = cluster.running();
  return running[Math.floor(random() * running.length)];
};

/**
 * `clientsPerNode` sequential clients per node (each on keep-alive connections), sending a mix of
 * opens (5%, of existing accounts: refused), deposits (50%), withdrawals (37%) and transfers (8%:
 * one process manager runs them all, three steps each, so more would only make it lag).
 */
export async function runWorkload(options: WorkloadOptions): Promise<SentCommand[]> {
  const { cluster, clientsPerNode, commands, prefix, until = () => false } = options;
  const sent: SentCommand[] = [];
  let issued = 0;
  const client = async (home: number, id: number) => {
    const random = seeded((options.seed ?? 42) * 1000 + id);
    for (let i = 0; issued < commands && !until(); i++) {
      issued++;
      const node = nodeFor(cluster, home, random);
      if (!node) break;
      const result = await send(node, pickCommand(random, options.accounts, `${prefix}-${id}-${i}`));
      sent.push(result);
      await options.onSent?.(result, sent.length);
      // No answer: the node is dying or starting; pause rather than burn the budget on refusals.
      if (result.status === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const clients = cluster.nodes.flatMap((_, home) => Array.from({ length: clientsPerNode }, (__, c) => client(home, home * clientsPerNode + c)));
  await Promise.all(clients);
  return sent;
}
