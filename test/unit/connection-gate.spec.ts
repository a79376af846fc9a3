import { ConnectionGate, SETTLING_TURNS } from '../../lib/event-store/sql/pg/connection-gate.js';
import { SettlingWork } from '../../lib/util/settling-work.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Work that records when it starts and ends when the test says. */
function task(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: () => {
      started.push(name);
      return done;
    },
    finish,
  };
}

describe('ConnectionGate', () => {
  it('lets work through at once while connections are free, and queues the rest', async () => {
    const started: string[] = [];
    const gate = new ConnectionGate(2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => task(started, name));
    const runs = [gate.run(a.run), gate.run(b.run), gate.run(c.run)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    a.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    b.finish();
    c.finish();
    await Promise.all(runs);
  });

  it('serves waiting settling work before new work, in arrival order within each', async () => {
    const started: string[] = [];
    const gate = new ConnectionGate(1);
    const holder = task(started, 'holder');
    const runs = [gate.run(holder.run)];
    const waiting = ['new-1', 'settle-1', 'new-2', 'settle-2'].map((name) => ({ name, ...task(started, name) }));
    for (const t of waiting) runs.push(t.name.startsWith('settle') ? SettlingWork.run(() => gate.run(t.run)) : gate.run(t.run));
    await tick();
    holder.finish();
    for (const name of ['settle-1', 'settle-2', 'new-1', 'new-2']) {
      await tick();
      waiting.find((t) => t.name === name)!.finish();
    }
    await Promise.all(runs);
    expect(started).toEqual(['holder', 'settle-1', 'settle-2', 'new-1', 'new-2']);
  });

  it(`gives new work a turn after ${SETTLING_TURNS} settling turns in a row, so it never starves`, async () => {
    const started: string[] = [];
    const gate = new ConnectionGate(1);
    const holder = task(started, 'holder');
    const runs = [gate.run(holder.run)];
    const settling = Array.from({ length: SETTLING_TURNS + 2 }, (_, i) => task(started, `settle-${i}`));
    const fresh = task(started, 'new');
    runs.push(gate.run(fresh.run));
    for (const t of settling) runs.push(SettlingWork.run(() => gate.run(t.run)));
    await tick();
    holder.finish();
    for (let i = 0; i < settling.length + 1; i++) {
      await tick();
      const last = started.at(-1)!;
      (last === 'new' ? fresh : settling[Number(last.slice('settle-'.length))]).finish();
    }
    await Promise.all(runs);
    expect(started.indexOf('new')).toBe(SETTLING_TURNS + 1);
    expect(started).toHaveLength(SETTLING_TURNS + 4);
  });

  it('frees the connection when the work fails', async () => {
    const gate = new ConnectionGate(1);
    await expect(gate.run(() => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    await expect(gate.run(() => Promise.resolve('after'))).resolves.toBe('after');
  });
});
