import { bank } from '../harness/bank.js';
import { startFaultBank, type FaultBank } from '../harness/fault-bank.js';
import { faultsMode } from './faults-mode.js';

export const ACCOUNTS = Array.from({ length: 50 }, (_, i) => `acc-${i}`);
export const OPENING_BALANCE = 1_000;
export const SUBSCRIPTIONS = ['account-balances', 'transfer-money', 'transfer-status'];

/** A bank of `nodes` nodes in the suite's mode, with the 50 accounts open. */
export async function openBank(nodes: number, env: Record<string, string> = {}): Promise<FaultBank> {
  const faults = await startFaultBank({ nodes, modeEnv: faultsMode().env, env });
  const node = faults.cluster.node(0);
  for (const accountId of ACCOUNTS) {
    const response = await bank.openAccount(node, accountId, OPENING_BALANCE, true);
    if (response.status !== 201) throw new Error(`Opening ${accountId} answered ${response.status} ${JSON.stringify(response.body)}`);
  }
  return faults;
}

/** Prints one case's figures: the report reads them from the test output. */
export const report = (name: string, figures: object) => console.log(`[faults] ${name} (${faultsMode().name}): ${JSON.stringify(figures)}`);
