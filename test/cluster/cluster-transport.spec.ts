import { ClusterTransport } from '../../lib/cluster/cluster-transport.js';
import { isNodeUnavailable } from '../../lib/errors/node-unavailable.error.js';
import { freePort } from '../harness/free-port.js';

describe('cluster transport', () => {
  const open: ClusterTransport[] = [];
  afterEach(() => open.splice(0).forEach((transport) => transport.close()));

  it('reaches a peer that was not listening yet once it listens (a static list names peers before they are up)', async () => {
    const port = await freePort();
    const caller = await ClusterTransport.create({ host: '127.0.0.1', port: 0 });
    open.push(caller);
    const ping = () => caller.request<string>('late', `127.0.0.1:${port}`, 'test.ping', { n: 1 }, 1000);

    for (let i = 0; i < 2; i++) expect(isNodeUnavailable(await ping().catch((error: unknown) => error))).toBe(true);
    const late = await ClusterTransport.create({ host: '127.0.0.1', port });
    open.push(late);
    late.handle('test.ping', () => 'pong');
    await late.listen();

    expect(await ping()).toBe('pong');
  });
});
