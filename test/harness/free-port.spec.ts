import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './free-port.js';

// Ports from the ephemeral range can be taken by any outgoing connection before a child binds them.
describe('freePort', () => {
  const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

  it('hands out distinct ports below the ephemeral range, even when asked all at once', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart);
  });

  it('skips a port something already listens on', async () => {
    const first = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(first + 1, '127.0.0.1', resolve));
    try {
      // Handed out in turn, the port after `first` would be `first + 1`.
      const next = await freePort();
      expect(next).not.toBe(first + 1);
      const taker = createServer();
      await new Promise<void>((resolve, reject) => taker.once('error', reject).listen(next, '127.0.0.1', resolve));
      await new Promise((resolve) => taker.close(resolve));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
