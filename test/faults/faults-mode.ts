/**
 * The deployment mode the fault suite runs in, named by its Jest project (jest.config.js has one
 * per mode: `faults:independent`, `faults:cluster`). `independent` (default) is REGISTRY=local
 * PUBSUB=redis; `cluster` is REGISTRY=global PUBSUB=global. REGISTRY and PUBSUB, when set, override
 * either, so the same cases run unchanged in any mode.
 */
export interface FaultsMode {
  name: string;
  env: Record<string, string>;
  /** True when nodes share a Redis the suite must start (and may kill). */
  usesRedis: boolean;
}

const MODES: Record<string, Record<string, string>> = {
  independent: { REGISTRY: 'local', PUBSUB: 'redis' },
  cluster: { REGISTRY: 'global', PUBSUB: 'global' },
};

/** The project's `globals.FAULTS_MODE`. */
const projectMode = (globalThis as { FAULTS_MODE?: string }).FAULTS_MODE;

export function faultsMode(env: NodeJS.ProcessEnv = process.env): FaultsMode {
  const name = projectMode || 'independent';
  const base = MODES[name];
  if (!base) throw new Error(`The fault mode must be one of ${Object.keys(MODES).join(', ')}; got '${name}'`);
  const chosen = { ...base, ...(env.REGISTRY ? { REGISTRY: env.REGISTRY } : {}), ...(env.PUBSUB ? { PUBSUB: env.PUBSUB } : {}) };
  return { name: `${name} (REGISTRY=${chosen.REGISTRY} PUBSUB=${chosen.PUBSUB})`, env: chosen, usesRedis: chosen.PUBSUB === 'redis' };
}
