/** One cluster node as recorded in the shared store. */
export interface MemberRecord {
  name: string;
  /** Address peers connect to. */
  host: string;
  port: number;
  /** When the node started (ms since epoch); tells a restarted node from its previous life. */
  startedAt: number;
}

/** A recorded member and how long ago it was last heard from, by the table's clock. */
export interface MemberStatus extends MemberRecord {
  heartbeatAgeMs: number;
}

/** How long a member not heard from still counts as alive: the cluster's default `nodeTimeout`, in ms. */
export const DEFAULT_NODE_TIMEOUT = 3000;

/** True when `member` was heard from within `nodeTimeout` ms (a killed node keeps its record until it rejoins). */
export const isMemberAlive = (member: MemberStatus, nodeTimeout = DEFAULT_NODE_TIMEOUT): boolean => member.heartbeatAgeMs <= nodeTimeout;

/**
 * Where cluster nodes find each other: a table in the store's database (or, for the memory store,
 * a map shared by the applications of one process). Liveness is judged by the table's own clock,
 * so nodes whose clocks differ still agree on who is alive.
 */
export interface MemberTable {
  /** Records a heartbeat of `member` and returns every member heard from within `timeoutMs`, itself included. */
  heartbeat(member: MemberRecord, timeoutMs: number): Promise<MemberRecord[]>;
  /** Removes a member at once (a clean shutdown). */
  leave(name: string): Promise<void>;
  /** For operators: every recorded member, live or not, by name; changes nothing. Absent where nothing is recorded. */
  list?(): Promise<MemberStatus[]>;
}
