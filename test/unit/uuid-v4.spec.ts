import { uuidV4 } from '../../lib/util/uuid-v4.js';
import { uuidV7 } from '../../lib/util/uuid-v7.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('uuidV4', () => {
  it('sets version 4 and the RFC 9562 variant on every id', () => {
    for (let i = 0; i < 1_000; i++) {
      const id = uuidV4();
      expect(id).toMatch(UUID);
      expect(id[14]).toBe('4');
      expect('89ab').toContain(id[19]);
    }
  });

  it('never repeats within a burst, also while UUIDv7 ids draw on the same random bytes', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => (i % 3 ? uuidV4() : uuidV7(1_765_000_000_000)));
    expect(new Set(ids).size).toBe(ids.length);
    const random = ids.filter((_, i) => i % 3).map((id) => id.replace(/-/g, ''));
    // Every hex digit appears in every random position over many ids: no byte is stuck.
    for (const at of [0, 7, 13, 20, 31]) expect(new Set(random.map((hex) => hex[at])).size).toBe(16);
  });
});
