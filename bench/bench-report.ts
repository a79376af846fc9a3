import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchConfig } from './bench-config.js';
import type { MachineInfo } from './bench-machine.js';
import { formatNumber } from './bench-progress.js';
import type { BenchRow } from './bench-result.js';
import type { Summary } from './bench-stats.js';

/** Everything one run produced. */
export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  config: Omit<BenchConfig, 'resultsDir' | 'databaseUrl' | 'redisUrl'>;
  machine: MachineInfo;
  rows: BenchRow[];
  /** Scenarios that threw instead of producing rows. */
  failures: Array<{ scenario: string; error: string }>;
}

const digitsFor = (value: number): number => (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
const figure = (value: number): string => formatNumber(value, digitsFor(value));
const spread = (s: Summary): string => `${figure(s.median)} [${figure(s.min)}–${figure(s.max)}]`;
const verdict = (row: BenchRow): string => (row.met === undefined ? '—' : row.met ? 'yes' : '**no**');
const escape = (text: string): string => text.replace(/\|/g, '\\|');

/** One line per distinct case and work (the percentile rows of a latency case share theirs). */
function workLines(rows: BenchRow[]): string[] {
  const lines = rows.map(
    (row) =>
      `- **${row.scenario} ${escape(row.case)}**: ours: ${row.oursWork}; baseline: ${row.baselineWork}.` +
      (row.notes.length ? ` ${row.notes.join(' ')}` : ''),
  );
  return [...new Set(lines)];
}

/** The results table in markdown, then the work behind each line and the machine. */
export function renderMarkdown(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    `| # | Case | Metric | Ours median [min–max] | Raw baseline median [min–max] | Ratio | Target | Met |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...report.rows.map(
      (row) =>
        `| ${row.scenario} | ${escape(row.case)} | ${row.metric} | ${spread(row.ours)} | ${spread(row.baseline)} | ${row.ratio.toFixed(2)}× | ${row.target ?? '—'} | ${verdict(row)} |`,
    ),
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}; ` +
      `PostgreSQL ${machine.postgres ?? 'n/a'} (synchronous_commit=${machine.synchronousCommit ?? 'n/a'}); Redis ${machine.redis ?? 'n/a'}. ` +
      `Commit ${machine.commit ?? 'n/a'}, ${report.startedAt}, ${Math.round(report.durationSeconds)} s, ` +
      `scale ${report.config.scale}, seed ${report.config.seed}, ${report.config.warmups} warm-up + ${report.config.repeats} repeats.`,
    '',
    '### Work compared',
    '',
    ...workLines(report.rows),
    ...(report.failures.length ? ['', '### Failed scenarios', '', ...report.failures.map((f) => `- ${f.scenario}: ${f.error}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes `<name>.json` and `<name>.md` into the results directory; returns their paths. */
export async function writeReport(report: BenchReport, directory: string, name: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const json = join(directory, `${name}.json`);
  const markdown = join(directory, `${name}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return [json, markdown];
}
