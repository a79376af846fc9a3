import type { Type } from '@nestjs/common';
import { Aggregate, DomainEvent, type EventContext, On, Projector } from '../lib/index.js';
import { Wallet, WalletCredited } from './bench-domain.js';
import { GROWTH_TYPES, growthType } from './growth-seed.js';

/** The payload every growth event carries (the seed writes the same fields). */
export interface GrowthPayload {
  walletId: string;
  amount: number;
  balance: number;
}

/** One event class per stored growth type, built in a loop: 50 hand-written classes would say nothing more. */
export const GROWTH_EVENTS: Type<GrowthPayload>[] = Array.from({ length: GROWTH_TYPES }, (_, k) => {
  const event = class implements GrowthPayload {
    constructor(
      readonly walletId: string,
      readonly amount: number,
      readonly balance: number,
    ) {}
  };
  DomainEvent(growthType(k))(event);
  return event;
});

/** Called by a growth projector for each event it handles. */
export type GrowthSink = (event: GrowthPayload, context: EventContext) => void;

/**
 * A `@Projector` named `name` with an `@On` method for each of `events`, all calling `sink`: the
 * public API a user writes, so the bench measures whatever the subscription code does with it.
 */
export function growthProjectorOf(name: string, events: Type[], sink: GrowthSink, startFrom: 'origin' | 'current' = 'origin'): Type {
  @Projector({ name, startFrom })
  class GrowthProjector {}
  events.forEach((event, i) => {
    const method = `on${i}`;
    Object.defineProperty(GrowthProjector.prototype, method, { value: (e: GrowthPayload, context: EventContext) => sink(e, context) });
    On(event)(GrowthProjector.prototype, method, Object.getOwnPropertyDescriptor(GrowthProjector.prototype, method)!);
  });
  return GrowthProjector;
}

/** Every type of a growth store: the 50 growth types and the long stream's credits. */
export const ALL_GROWTH_EVENTS: Type[] = [...GROWTH_EVENTS, WalletCredited];

/** The wallet with a snapshot after every append, so its next load reads the snapshot and nothing after it. */
@Aggregate({ identity: 'walletId', prefix: 'wallet-', snapshotEvery: 1 })
export class SnapshottedWallet extends Wallet {}
