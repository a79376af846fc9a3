// A store adapter's test as its author writes it: the published conformance suite on Jest.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryEventStore } from 'nestjs-event-sourcing';
import { CONFORMANCE_MAX_PAYLOAD_BYTES, describeEventStoreConformance } from 'nestjs-event-sourcing/store';

describeEventStoreConformance(
  'memory',
  async () => {
    const store = new InMemoryEventStore(CONFORMANCE_MAX_PAYLOAD_BYTES);
    await store.init();
    return { store, dispose: () => store.close() };
  },
  { describe, it, beforeEach, afterEach, expect },
);
