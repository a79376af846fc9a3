import { median, percentile, summarize } from '../../bench/bench-stats.js';
import { atLeastTimes, atMostPlus, atMostTimes, benchRow } from '../../bench/bench-result.js';
import { SeededRandom } from '../../bench/seeded-random.js';

describe('bench harness statistics', () => {
  const samples = [7, 1, 5, 3, 9, 2, 8, 4, 10, 6];

  it('takes nearest-rank percentiles', () => {
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, i) => i + 1),
        99.9,
      ),
    ).toBe(999);
  });

  it('rejects percentiles outside (0, 100] and empty or non-finite input', () => {
    expect(() => percentile(samples, 0)).toThrow('(0, 100]');
    expect(() => percentile(samples, 101)).toThrow('(0, 100]');
    expect(() => percentile([], 50)).toThrow('empty');
    expect(() => summarize([1, Number.NaN])).toThrow('finite');
  });

  it('summarizes min, median and max, averaging the middle pair of an even count', () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, n: 3 });
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize(samples)).toEqual({ min: 1, median: 5.5, max: 10, n: 10 });
  });

  it('judges targets on the medians', () => {
    const row = (ours: number[], baseline: number[], target = atLeastTimes(0.7)) =>
      benchRow({ scenario: 'B0', case: 'c', metric: 'm', better: 'higher', ours, baseline, target, oursWork: 'o', baselineWork: 'b' });
    expect(row([7, 8, 100], [10, 10, 10])).toMatchObject({ ratio: 0.8, met: true, target: '≥ 0.7× raw' });
    expect(row([1, 6, 100], [10, 10, 10]).met).toBe(false);
    expect(row([3, 3, 3], [1, 1, 1], atMostTimes(3)).met).toBe(true);
    expect(row([3.1, 3.1, 3.1], [1, 1, 1], atMostTimes(3)).met).toBe(false);
    expect(row([3, 3, 3], [1, 1, 1], atMostPlus(2, 'ms')).met).toBe(true);
    expect(row([3.5, 3.5, 3.5], [1, 1, 1], atMostPlus(2, 'ms')).met).toBe(false);
    // B10 and B11 name what they compare against.
    expect(row([1.1, 1.1, 1.1], [1, 1, 1], atMostTimes(1.15, 'by hand'))).toMatchObject({ met: true, target: '≤ 1.15× by hand' });
    const sdk = atMostPlus(5, 'µs/command', 'SDK');
    expect(row([20, 20, 20], [15, 15, 15], sdk)).toMatchObject({ met: true, target: '≤ SDK + 5 µs/command' });
    expect(row([20.5, 20.5, 20.5], [15, 15, 15], sdk).met).toBe(false);
  });

  it('draws the same sequence from the same seed, and another from another', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.int(1000));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(7).every((value) => value >= 0 && value < 1000)).toBe(true);
  });
});
