import { withClient } from './postgres-schema.js';

/** How one subscription the stopping node held moved to the standby, as the store recorded it. */
export interface LeaseTakeover {
  name: string;
  /** When the standby took the lease (raised the epoch under its name), ms since the epoch. */
  heldAt: number;
  /** When the standby first moved the checkpoint past where it took over; undefined for a lease with no events of its own (a scheduler's). */
  deliveredAt?: number;
  /** Events appended but not yet behind the checkpoint when the watch started: the work the standby inherits. */
  behind: number;
}

/** One write of a subscription's row, as the trigger recorded it. */
interface Change {
  name: string;
  owner: string | null;
  epoch: number;
  position: number;
  at: number;
}

/** A takeover as far as the store shows it yet. */
type Seen = Omit<LeaseTakeover, 'heldAt'> & { heldAt?: number };

/** A lease of the stopping node when the watch started. */
interface Held {
  epoch: number;
  position: number;
}

const POLL_MS = 20;

/**
 * Records every write of the subscriptions table of `schema` (a trigger stamps each with the
 * database clock as it happens), so a takeover is timed by the store itself, not by a poll of a
 * busy node or of this busy test process. Watches the leases node `from` holds at the start: when
 * node `to` raised each one's epoch under its name, and when it first moved that checkpoint (a
 * checkpoint moves only once the events before it are delivered and committed).
 */
export class LeaseWatch {
  private constructor(
    private readonly schema: string,
    private readonly to: string,
    private readonly held: Map<string, Held>,
    /** The store's head when the watch started. */
    private readonly head: number,
  ) {}

  /** Starts recording; throws when `from` holds no lease. */
  static async start(schema: string, from: string, to: string): Promise<LeaseWatch> {
    const s = `"${schema}"`;
    const [held, head] = await withClient(async (client) => {
      await client.query(`CREATE TABLE ${s}.lease_history (name text, owner text, epoch bigint, position bigint, at double precision)`);
      await client.query(`CREATE FUNCTION ${s}.record_lease() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          INSERT INTO ${s}.lease_history VALUES (NEW.name, NEW.owner, NEW.epoch, NEW.position, extract(epoch FROM clock_timestamp()) * 1000);
          RETURN NEW;
        END $f$`);
      await client.query(
        `CREATE TRIGGER record_lease AFTER INSERT OR UPDATE ON ${s}.subscriptions FOR EACH ROW EXECUTE FUNCTION ${s}.record_lease()`,
      );
      const { rows } = await client.query<{ name: string; epoch: string; position: string; head: string }>(
        `SELECT name, epoch, position, (SELECT coalesce(max(global_position), 0) FROM ${s}.events) AS head FROM ${s}.subscriptions WHERE owner = $1`,
        [from],
      );
      return [new Map(rows.map((row) => [row.name, { epoch: Number(row.epoch), position: Number(row.position) }])), Number(rows[0]?.head)] as const;
    });
    if (!held.size) throw new Error(`Node ${from} holds no subscription lease in ${schema}`);
    return new LeaseWatch(schema, to, held, head);
  }

  /** Resolves once the store shows `to` holding every watched lease and past its checkpoint; throws after `timeout` ms with what it shows. */
  async done(timeout = 60_000): Promise<LeaseTakeover[]> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const takeovers = this.takeovers(await this.history());
      if (takeovers.every((t) => t.heldAt && (t.deliveredAt || t.name.startsWith('$')))) return takeovers as LeaseTakeover[];
      if (Date.now() > deadline) throw new Error(`${this.to} did not take over within ${timeout} ms: ${JSON.stringify(takeovers)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private takeovers(history: Change[]): Seen[] {
    return [...this.held].map(([name, { epoch, position }]) => {
      const mine = history.filter((c) => c.name === name && c.owner === this.to && c.epoch > epoch);
      const taken = mine[0];
      return { name, heldAt: taken?.at, deliveredAt: taken && mine.find((c) => c.position > taken.position)?.at, behind: this.head - position };
    });
  }

  private async history(): Promise<Change[]> {
    const { rows } = await withClient((client) =>
      client.query<{ name: string; owner: string | null; epoch: string; position: string; at: number }>(
        `SELECT name, owner, epoch, position, at FROM "${this.schema}".lease_history ORDER BY at`,
      ),
    );
    return rows.map((row) => ({ ...row, epoch: Number(row.epoch), position: Number(row.position), at: Number(row.at) }));
  }
}

/** `name held +54 ms, delivered +103 ms (12 events behind); ...`, times after `t0`. */
export function describeTakeovers(takeovers: LeaseTakeover[], t0: number): string {
  const ms = (at: number) => `+${Math.round(at - t0)} ms`;
  const delivered = (t: LeaseTakeover) => (t.deliveredAt === undefined ? '' : `, delivered ${ms(t.deliveredAt)} (${t.behind} events behind)`);
  return takeovers.map((t) => `${t.name} held ${ms(t.heldAt)}${delivered(t)}`).join('; ');
}
