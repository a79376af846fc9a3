import { assertAggregateAt, describeAt, parseAggregateAt } from '../../lib/event-store/aggregate-at.js';
import { invalidOptionsMessage } from '../fixtures/option-problems.js';

const problem = invalidOptionsMessage;

describe('a point in an aggregate history (AggregateAt)', () => {
  it('reads a stream version or an ISO time from text, as the CLI and the inspector take it', () => {
    expect(parseAggregateAt('7')).toEqual({ version: 7 });
    expect(parseAggregateAt('2026-03-01T08:30:00.250Z')).toEqual({ time: new Date('2026-03-01T08:30:00.250Z') });
    expect(parseAggregateAt('2026-03-01')).toEqual({ time: new Date('2026-03-01T00:00:00Z') });
    expect(problem(() => parseAggregateAt('0'))).toContain("'at.version' must be a stream version, a whole number of 1 or more, got 0");
    expect(problem(() => parseAggregateAt('yesterday'))).toContain("'at' must be a stream version (1 or more) or an ISO time");
    expect(problem(() => parseAggregateAt('2026-13-45T00:00:00Z'))).toContain('or an ISO time');
    expect(problem(() => parseAggregateAt('99999999999999999999'))).toContain("'at.version'");
  });

  it('refuses anything but exactly one of a version of 1 or more and a valid Date', () => {
    for (const at of [{ version: 1 }, { time: new Date(0) }]) expect(() => assertAggregateAt(at)).not.toThrow();
    expect(problem(() => assertAggregateAt({ version: 2, time: new Date() }))).toContain('exactly one of them');
    expect(problem(() => assertAggregateAt({}))).toContain('exactly one of them');
    expect(problem(() => assertAggregateAt(null))).toContain('exactly one of them');
    expect(problem(() => assertAggregateAt({ version: 2.5 }))).toContain("'at.version'");
    expect(problem(() => assertAggregateAt({ time: '2026-03-01' }))).toContain("'at.time' must be a valid Date");
  });

  it('names the point for messages', () => {
    expect(describeAt({ version: 4 })).toBe('version 4');
    expect(describeAt({ time: new Date('2026-03-01T08:30:00Z') })).toBe('2026-03-01T08:30:00.000Z');
  });
});
