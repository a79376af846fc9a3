import {
  ContinuedBy,
  DomainEvent,
  EventSerializer,
  InMemoryEventStore,
  isConfigurationError,
  ProcessManager,
  StartedBy,
  TaggedStateCodec,
} from '../../lib/index.js';
import { ProcessManagerDelivery, processStateStreamId } from '../../lib/process-managers/process-manager-delivery.js';
import { ProcessStateFormat } from '../../lib/process-managers/process-state-format.js';
import { subscriptionDefinitionOf } from '../../lib/subscriptions/subscription-definition.factory.js';
import { failure } from '../fixtures/failure.js';
import { append } from '../subscriptions/fixtures/subscription-fixtures.js';

@DomainEvent('ShipmentBooked')
class ShipmentBooked {
  constructor(
    readonly shipmentId: string,
    readonly at: string,
  ) {}
}

@DomainEvent('ShipmentMoved')
class ShipmentMoved {
  constructor(
    readonly shipmentId: string,
    readonly place: string,
  ) {}
}

/** Calls of the migration hook, to tell a migrated state from one read as it was stored. */
const migrations: Array<[Record<string, unknown>, number]> = [];

/** Version 1 kept `booked` (an ISO string) and `stops`; version 2 keeps `bookedAt` (a Date) and `places`. */
@ProcessManager({
  name: 'shipments',
  stateVersion: 2,
  migrateState: (state, fromVersion) => {
    migrations.push([state, fromVersion]);
    return { bookedAt: new Date(state.booked as string), places: [...(state.stops as string[])] };
  },
})
class ShipmentProcess {
  bookedAt?: Date;
  places: string[] = [];

  @StartedBy(ShipmentBooked, (event: ShipmentBooked) => event.shipmentId)
  booked({ at }: ShipmentBooked) {
    this.bookedAt = new Date(at);
  }

  @ContinuedBy(ShipmentMoved, (event: ShipmentMoved) => event.shipmentId)
  moved({ place }: ShipmentMoved) {
    if (!(this.bookedAt instanceof Date)) throw new Error('bookedAt is not a Date');
    this.places.push(place);
  }
}

describe('process-manager state versions', () => {
  const codec = new TaggedStateCodec();
  const format = new ProcessStateFormat(ShipmentProcess, codec);
  const setup = () => {
    const store = new InMemoryEventStore();
    const delivery = new ProcessManagerDelivery(
      'shipments',
      subscriptionDefinitionOf(ShipmentProcess).processManager!,
      store,
      new EventSerializer([ShipmentBooked, ShipmentMoved]),
      { dispatch: async () => undefined },
      { stateCodec: codec },
    );
    const deliver = async (event: object) => {
      for (const recorded of (await append(store, 'shipment', [event])).events) await delivery.deliver(recorded);
    };
    const saved = async (id: string) => {
      const stored = (await store.readSnapshot(processStateStreamId('shipments', id)))!;
      return { version: stored.snapshotVersion, state: await format.decode(stored, store.subjectKeys) };
    };
    return { store, deliver, saved };
  };
  beforeEach(() => (migrations.length = 0));

  it('migrates state stored at version 1 (plain JSON) with the hook when read', async () => {
    const { store, deliver, saved } = setup();
    const old = { booked: '2030-01-02T03:04:05.678Z', stops: ['Lyon'] };
    await store.saveSnapshot({
      streamId: processStateStreamId('shipments', 's1'),
      streamVersion: 0,
      snapshotType: 'ShipmentProcess',
      snapshotVersion: 1,
      data: old,
    });
    await deliver(new ShipmentMoved('s1', 'Paris'));
    expect(migrations).toEqual([[old, 1]]);
    expect(await saved('s1')).toStrictEqual({ version: 2, state: { bookedAt: new Date(old.booked), places: ['Lyon', 'Paris'] } });
  });

  it('reads state stored at the current version without the hook, a Date as a Date', async () => {
    const { deliver, saved } = setup();
    await deliver(new ShipmentBooked('s2', '2030-01-02T03:04:05.678Z'));
    await deliver(new ShipmentMoved('s2', 'Paris'));
    expect(migrations).toEqual([]);
    const { version, state } = await saved('s2');
    expect(version).toBe(2);
    expect(state.bookedAt).toBeInstanceOf(Date);
    expect(state.places).toEqual(['Paris']);
  });

  it('refuses state stored by a newer release instead of misreading it', async () => {
    const error = await failure(
      format.decode({ streamId: '$pm-shipments-s3', streamVersion: 1, snapshotType: 'ShipmentProcess', snapshotVersion: 3, data: {} }, undefined),
    );
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/'\$pm-shipments-s3' was stored at state version 3; ShipmentProcess reads versions up to 2/);
  });

  it.each([
    [{ stateVersion: 0 }, /'stateVersion' must be an integer of 1 or more, got 0/],
    [{ stateVersion: 2 }, /'stateVersion' 2 needs 'migrateState\(state, fromVersion\)'/],
    [{ migrateState: 'yes' }, /'migrateState' must be a function/],
  ])('refuses the malformed options %j', async (options, message) => {
    @ProcessManager({ name: 'malformed', ...(options as object) })
    class Malformed {}
    const error = await failure(Promise.resolve().then(() => new ProcessStateFormat(Malformed, codec)));
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
