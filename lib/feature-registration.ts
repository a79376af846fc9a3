import type { Type } from '@nestjs/common';

/** Options of `EventSourcingModule.forFeature`. */
export interface EventSourcingFeatureOptions {
  /** `@Aggregate` classes whose commands this application executes. @default [] */
  aggregates?: Type[];
  /** `@ProcessManager` classes to run. @default [] */
  processManagers?: Type[];
  /**
   * `@DomainEvent` classes to register besides those named by `@Apply`, `@On`/`@OnBatch` and
   * process-manager steps. Only registered classes can be written, so that every stored event
   * is readable by a fresh process of the same code. @default []
   */
  events?: Type[];
}

/** One `forFeature` call's classes, found by the explorer among all providers. */
export class FeatureRegistration {
  constructor(readonly options: EventSourcingFeatureOptions) {}
}
