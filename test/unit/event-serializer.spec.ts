import { randomUUID } from 'node:crypto';
import { DomainEvent, EventSerializer, isInvalidEvent, isUnknownEventType, type RecordedEvent } from '../../lib/index.js';

@DomainEvent('PriceSet', { version: 3 })
class PriceSet {
  constructor(
    readonly sku: string,
    readonly cents: number,
    readonly currency: string,
  ) {}
}

@DomainEvent('Plain')
class Plain {
  constructor(readonly at: Date) {}
}

const recorded = (eventType: string, data: object, schemaVersion?: number): RecordedEvent => ({
  eventId: randomUUID(),
  eventType,
  data: data as never,
  metadata: schemaVersion ? { schemaVersion } : {},
  streamId: 's',
  streamVersion: 1,
  globalPosition: 1,
  createdAt: new Date(),
});

describe('EventSerializer', () => {
  const serializer = new EventSerializer(
    [PriceSet, Plain],
    [
      { eventType: 'PriceSet', fromVersion: 1, upcast: (data) => ({ sku: data.sku, cents: Math.round((data.price as number) * 100) }) },
      { eventType: 'PriceSet', fromVersion: 2, upcast: (data) => ({ ...data, currency: 'EUR' }) },
    ],
  );

  it('stores the type name and schema version', () => {
    const stored = serializer.serialize(new PriceSet('a', 150, 'USD'), { eventId: 'e1', metadata: { user: 'u' } });
    expect(stored).toEqual({
      eventId: 'e1',
      eventType: 'PriceSet',
      data: { sku: 'a', cents: 150, currency: 'USD' },
      metadata: { user: 'u', schemaVersion: 3 },
    });
  });

  it('upcasts old schema versions on read, step by step', () => {
    const v1 = serializer.deserialize(recorded('PriceSet', { sku: 'a', price: 1.5 }));
    expect(v1).toEqual(new PriceSet('a', 150, 'EUR'));
    expect(v1).toBeInstanceOf(PriceSet);
    expect(serializer.deserialize(recorded('PriceSet', { sku: 'b', cents: 2 }, 2))).toEqual(new PriceSet('b', 2, 'EUR'));
    expect(serializer.deserialize(recorded('PriceSet', { sku: 'c', cents: 3, currency: 'GBP' }, 3))).toEqual(new PriceSet('c', 3, 'GBP'));
  });

  it('revives only registered classes', () => {
    const error = (() => {
      try {
        serializer.deserialize(recorded('Object', { constructor: 'x' }));
      } catch (e) {
        return e;
      }
    })();
    expect(isUnknownEventType(error)).toBe(true);
  });

  it('reads an alias into the renamed class, following an upcaster that renames the type', () => {
    @DomainEvent('Renamed', { version: 3, aliases: ['Original'] })
    class Renamed {
      constructor(
        readonly n: number,
        readonly tag: string,
      ) {}
    }
    const renaming = new EventSerializer(
      [Renamed],
      [
        { eventType: 'Original', fromVersion: 1, toEventType: 'Renamed', upcast: (data) => ({ n: (data.count as number) * 2 }) },
        { eventType: 'Renamed', fromVersion: 2, upcast: (data) => ({ ...data, tag: 'lifted' }) },
      ],
    );
    expect(renaming.isKnown('Original')).toBe(true);
    const revived = renaming.deserialize(recorded('Original', { count: 2 }, 1));
    expect(revived).toEqual(new Renamed(4, 'lifted'));
    expect(revived).toBeInstanceOf(Renamed);
    expect(renaming.deserialize(recorded('Renamed', { n: 1 }, 2))).toEqual(new Renamed(1, 'lifted'));
    expect(renaming.serialize(new Renamed(1, 'x'), { eventId: 'e' }).eventType).toBe('Renamed');
  });

  it('fails clearly when an upcaster step is missing', () => {
    const partial = new EventSerializer([PriceSet], []);
    expect(() => partial.deserialize(recorded('PriceSet', {}, 2))).toThrow(/no upcaster to v3/);
  });

  it('refuses plain objects, undecorated classes and name clashes, aliases and the tombstone included', () => {
    class Undecorated {}
    @DomainEvent('Plain')
    class Impostor {}
    @DomainEvent('Other', { aliases: ['Plain'] })
    class AliasImpostor {}
    @DomainEvent('Again', { aliases: ['Again'] })
    class SelfAlias {}
    @DomainEvent('Erased', { aliases: ['$StreamDeleted'] })
    class TombstoneImpostor {}
    for (const attempt of [
      () => serializer.serialize({ a: 1 }, { eventId: 'x' }),
      () => serializer.serialize(new Undecorated(), { eventId: 'x' }),
      () => serializer.register(Impostor),
      () => serializer.register(AliasImpostor),
      () => serializer.register(SelfAlias),
      () => serializer.register(TombstoneImpostor),
    ]) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(isInvalidEvent(error)).toBe(true);
    }
  });

  it('stores what JSON stores: a Date becomes its ISO string', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const stored = serializer.serialize(new Plain(at), { eventId: 'x' });
    expect(stored.data).toEqual({ at: '2026-01-02T03:04:05.000Z' });
  });
});

describe('EventSerializer: personal data', () => {
  @DomainEvent('HolderNamed', { personal: { subject: 'accountId', fields: ['holder'], placeholder: null } })
  class HolderNamed {
    constructor(
      readonly accountId: string | undefined,
      readonly holder: { name: string },
    ) {}
  }
  const serializer = new EventSerializer([HolderNamed]);

  it('names the personal fields and their subject in the metadata, for the store to encrypt', () => {
    const stored = serializer.serialize(new HolderNamed('acc-1', { name: 'Ada' }), { eventId: randomUUID() });
    expect(stored.metadata).toEqual({ schemaVersion: 1, $personal: { subject: 'acc-1', fields: ['holder'], placeholder: null } });
    expect(serializer.hasPersonalData()).toBe(true);
    expect(new EventSerializer([PriceSet]).hasPersonalData()).toBe(false);
  });

  it('refuses an event whose subject id is missing, saying which field to set', () => {
    let error: unknown;
    try {
      serializer.serialize(new HolderNamed(undefined, { name: 'Ada' }), { eventId: randomUUID() });
    } catch (thrown) {
      error = thrown;
    }
    expect(isInvalidEvent(error)).toBe(true);
    expect((error as Error).message).toMatch(/personal data of the subject in 'accountId', whose value undefined must be a non-empty string/);
  });

  it.each([
    [{ subject: '', fields: ['holder'] }, /'subject' must name the field/],
    [{ subject: 'accountId', fields: [] }, /'fields' must list the names/],
    [{ subject: 'accountId', fields: ['accountId'] }, /cannot also be a personal field/],
    [{ subject: 'accountId', fields: ['holder'], placeholder: () => 1 }, /'placeholder' must be a JSON value/],
  ])('refuses a malformed declaration when the class is defined: %j', (personal, message) => {
    expect(() => DomainEvent('Bad', { personal })).toThrow(message);
    expect(isInvalidEvent(catchError(() => DomainEvent('Bad', { personal })))).toBe(true);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
