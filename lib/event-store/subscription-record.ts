/**
 * A subscription as recorded in the store, for operators. Read-only and open to growth: control
 * state (paused, owner, epoch) joins it as the store learns to keep it.
 */
export interface SubscriptionRecord {
  name: string;
  /** Last acknowledged global position (0 before the first event). */
  position: number;
  /** When the record last changed. */
  updatedAt: Date;
}
