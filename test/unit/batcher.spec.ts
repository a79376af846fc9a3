import { Batcher, byKeys } from '../../lib/util/batcher.js';
import { SettlingWork } from '../../lib/util/settling-work.js';

/** A `run` whose calls the test releases one by one, recording what each got. */
function gatedRun() {
  const calls: Array<{ items: number[]; settles: boolean; release: () => void }> = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      const release = () => (items.includes(-1) ? reject(new Error(`bad batch ${items.join(',')}`)) : resolve(items.map((i) => `out-${i}`)));
      calls.push({ items, settles: SettlingWork.active, release });
    });
  return { calls, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('starts the first item at once and sends what arrives meanwhile together, in order', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run);
    const first = batcher.submit(1);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const later = [batcher.submit(2), batcher.submit(3), batcher.submit(4)];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].release();
    expect(await first).toBe('out-1');
    await tick();
    expect(calls[1].items).toEqual([2, 3, 4]);
    calls[1].release();
    expect(await Promise.all(later)).toEqual(['out-2', 'out-3', 'out-4']);
  });

  it('keeps up to `flights` calls in flight, each taking what waits when it leaves', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run, { flights: 2 });
    const both = [batcher.submit(1), batcher.submit(2)];
    const waiting = [batcher.submit(3), batcher.submit(4)];
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[1].release();
    expect(await both[1]).toBe('out-2');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[2].release();
    calls[0].release();
    expect(await Promise.all([...both, ...waiting])).toEqual(['out-1', 'out-2', 'out-3', 'out-4']);
    // Both flights ended: the next item leaves at once again.
    const next = batcher.submit(5);
    await tick();
    expect(calls[3].items).toEqual([5]);
    calls[3].release();
    expect(await next).toBe('out-5');
  });

  it('keeps batches within the limit', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((i) => batcher.submit(i));
    for (let i = 0; i < 3; i++) {
      await tick();
      calls[i].release();
    }
    expect(await Promise.all(all)).toEqual(['out-1', 'out-2', 'out-3', 'out-4', 'out-5']);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails only the bad item of a failed batch: the others are tried again alone', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run);
    const first = batcher.submit(1);
    const rest = [batcher.submit(2), batcher.submit(-1), batcher.submit(3)].map((p) => p.catch((error: Error) => error.message));
    await tick();
    calls[0].release();
    await first;
    for (let i = 1; i < 5; i++) {
      await tick();
      calls[i].release();
    }
    expect(await Promise.all(rest)).toEqual(['out-2', 'bad batch -1', 'out-3']);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, -1, 3], [2], [-1], [3]]);
  });

  it('with gatherTurn, waits one turn so that items submitted together go as one', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run, { gatherTurn: true });
    const together = [batcher.submit(1), batcher.submit(2)];
    await Promise.resolve();
    expect(calls).toHaveLength(0);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
    calls[0].release();
    expect(await Promise.all(together)).toEqual(['out-1', 'out-2']);
  });

  it('runs a batch as settling work when one of its items is, and as new work otherwise', async () => {
    const { calls, run } = gatedRun();
    const batcher = new Batcher(run);
    const first = SettlingWork.run(() => batcher.submit(1));
    const plain = batcher.submit(2);
    await tick();
    calls[0].release();
    await first;
    await tick();
    calls[1].release();
    await plain;
    const mixed = [batcher.submit(3), SettlingWork.run(() => batcher.submit(4))];
    await tick();
    calls[2].release();
    await Promise.all(mixed);
    expect(calls.map((c) => [c.items, c.settles])).toEqual([
      [[1], true],
      [[2], false],
      [[3, 4], true],
    ]);
  });
});

describe('byKeys', () => {
  it('aligns rows with the keys asked, undefined where none, a separate copy for a key asked twice', () => {
    const rows = [
      { id: 'b', n: [2] },
      { id: 'a', n: [1] },
    ];
    const aligned = byKeys(['a', 'x', 'b', 'a'], rows, (row) => row.id);
    expect(aligned).toEqual([{ id: 'a', n: [1] }, undefined, { id: 'b', n: [2] }, { id: 'a', n: [1] }]);
    expect(aligned[0]).toBe(rows[1]);
    expect(aligned[3]).not.toBe(aligned[0]);
  });
});
