import Sequencer from '@jest/test-sequencer';

// Files that start sample nodes, a browser or an npm install: the longest of the suite.
const MULTI_PROCESS = /\/test\/(cluster|multi-node|e2e|packaging|inspector)\//;

const mode = (test) => test.context.config.displayName?.name ?? '';
const isFault = (test) => mode(test).startsWith('faults:');
const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
const largestFirst = (tests) => tests.sort((a, b) => size(b) - size(a));

/** a0, b0, a1, b1, ... then what is left of the longer list. */
function alternate(a, b) {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]])
    .flat()
    .filter(Boolean);
}

/**
 * Orders a run on several workers longest first, so no worker is left alone with a long file at
 * the end: the fault cases (load, crashes) alternating with the multi-process files, so that two
 * fault banks seldom load the machine at once, then the rest, larger files first. The order does
 * not depend on earlier runs, so a clean checkout runs as a developer's does, except that files
 * which failed in the last run go first.
 */
export default class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const order = (group) => {
      // One mode's cases, then the other's: a case never runs beside itself in the other mode.
      const faults = largestFirst(group.filter(isFault)).sort((a, b) => mode(a).localeCompare(mode(b)));
      const heavy = largestFirst(group.filter((test) => !isFault(test) && MULTI_PROCESS.test(test.path)));
      const rest = largestFirst(group.filter((test) => !isFault(test) && !MULTI_PROCESS.test(test.path)));
      return [...alternate(faults, heavy), ...rest];
    };
    return [...order(tests.filter((test) => this.hasFailed(test))), ...order(tests.filter((test) => !this.hasFailed(test)))];
  }
}
