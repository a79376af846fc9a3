import type { SettledHead, SettledRange } from './settled-head.js';

/**
 * When a reader of all events asks {@link SettledHead} for a range it may read without looking
 * for gaps: only while more than `minLag` positions behind the head, and not again until it has
 * moved on by itself. Near the head it moves at least `minLag` positions (or a page) before it asks
 * again, so a reader that keeps up costs one head read per stretch, not a proof per page; while a
 * proof waits on an open transaction it asks again a page later.
 */
export class SettledRanges {
  private range?: SettledRange;
  /** Positions to move without a range before asking for one again. */
  private stretch = 0;

  constructor(
    private readonly head: SettledHead,
    private readonly minLag: number,
  ) {}

  /** The range still ahead of `position`, or a new one when worth asking (`usable` false: do not ask). */
  async ahead(position: number, maxCount: number, usable = true): Promise<SettledRange | undefined> {
    if (this.range && position < this.range.upTo) return this.range;
    this.range = undefined;
    if (this.stretch > 0 || !usable) return undefined;
    const certified = await this.head.certify(position, this.minLag);
    if (certified === 'near') this.stretch = this.lookAgainAfter(maxCount);
    else if (certified === 'pending') this.stretch = maxCount;
    else this.range = certified;
    return this.range;
  }

  /** The reader moved from `from` to `to` outside a range, `atHead` telling whether it reached the head. */
  movedOutside(from: number, to: number, atHead: boolean, maxCount: number): void {
    this.stretch = atHead ? this.lookAgainAfter(maxCount) : Math.max(0, this.stretch - (to - from));
  }

  private lookAgainAfter(maxCount: number): number {
    return Math.max(this.minLag, maxCount);
  }
}
