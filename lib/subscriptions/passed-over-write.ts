/**
 * How long after a subscription's last progress write a position it only passed over may wait to
 * be stored: positions read with nothing to run (a process manager's events that route to no
 * instance, a spread partition's events of other partitions, a filtered reader's look past other
 * types). Reading them again after a crash or a handover again runs nothing, so the write only
 * bounds that re-read; the position is acknowledged at once, since a caller may wait for the
 * subscription by name. Without the wait, an idle process manager or each partition of a spread
 * subscription would store its checkpoint for every append it passes over.
 */
export const PASSED_OVER_WRITE_DELAY_MS = 1000;
