import { jest } from '@jest/globals';
import { killAllChildren } from '../harness/child-registry.js';
import { freePort } from '../harness/free-port.js';
import { type SampleOnStore, startSampleOn } from '../harness/sample-on-store.js';

jest.setTimeout(90_000);

describe('sample stop while Redis has never connected', () => {
  let bank: SampleOnStore | undefined;

  afterEach(async () => {
    await bank?.close();
    bank = undefined;
    await killAllChildren();
  });

  it.each(['postgres', 'memory'] as const)('exits 0 on SIGTERM on the %s store, with no error on stderr', async (store) => {
    // A port nothing listens on: the node starts without Redis and keeps retrying.
    const redisPort = await freePort();
    bank = await startSampleOn(store, { PUBSUB: 'redis', REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    await bank.node.waitForLog(/Starting without Redis/);

    expect(await bank.node.stop()).toEqual({ code: 0, signal: null });
    expect(bank.node.logs()).toContain('stopped');
    expect(bank.node.stderr()).toBe('');
  });
});
