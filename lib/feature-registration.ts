import type { Type } from '@nestjs/common';

/** Options of `EventSourcingModule.forFeature`. */
export interface EventSourcingFeatureOptions {
  /** `@Aggregate` classes whose commands this application executes. @default [] */
  aggregates?: Type[];
  /** `@ProcessManager` classes to run. @default [] */
  processManagers?: Type[];
}

/** One `forFeature` call's classes, found by the explorer among all providers. */
export class FeatureRegistration {
  constructor(readonly options: EventSourcingFeatureOptions) {}
}
