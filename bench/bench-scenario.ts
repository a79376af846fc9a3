import { pathToFileURL } from 'node:url';
import { type BenchConfig, loadBenchConfig } from './bench-config.js';
import { machineInfo } from './bench-machine.js';
import { BenchProgress } from './bench-progress.js';
import { type BenchReport, renderMarkdown, writeReport } from './bench-report.js';
import type { BenchRow } from './bench-result.js';

/** What a scenario gets to run with. */
export interface ScenarioContext {
  config: BenchConfig;
  progress: BenchProgress;
}

/** One benchmark scenario; new ones (cluster routing, hot aggregates) slot in by implementing it. */
export interface Scenario {
  /** e.g. 'B1' */
  id: string;
  title: string;
  run(context: ScenarioContext): Promise<BenchRow[]>;
}

const messageOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * Runs scenarios one after another, prints the table, writes `<name>.json` and `<name>.md`, and
 * exits non-zero when one failed (the others' results are still written).
 */
export async function runScenarios(scenarios: Scenario[], name: string): Promise<void> {
  const config = loadBenchConfig();
  const started = Date.now();
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    config: { scale: config.scale, seed: config.seed, repeats: config.repeats, warmups: config.warmups },
    machine: await machineInfo(config),
    rows: [],
    failures: [],
  };
  for (const scenario of scenarios) {
    const progress = new BenchProgress(scenario.id);
    progress.line(`${scenario.title}: starting`);
    try {
      report.rows.push(...(await scenario.run({ config, progress })));
      progress.line('done');
    } catch (error) {
      progress.line(`FAILED: ${messageOf(error)}`);
      report.failures.push({ scenario: scenario.id, error: messageOf(error).split('\n')[0] });
    }
  }
  report.durationSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`\n${renderMarkdown(report)}`);
  const paths = await writeReport(report, config.resultsDir, name);
  process.stdout.write(`\nResults written to ${paths.join(' and ')}\n`);
  process.exitCode = report.failures.length ? 1 : 0;
}

/** Runs the scenario when its file is the program's entry point (`node dist/bench/b1-append.js`). */
export function runIfMain(moduleUrl: string, scenario: Scenario): void {
  if (process.argv[1] && pathToFileURL(process.argv[1]).href === moduleUrl) {
    runScenarios([scenario], scenario.id.toLowerCase()).catch((error: unknown) => {
      process.stderr.write(`${messageOf(error)}\n`);
      process.exit(1);
    });
  }
}
