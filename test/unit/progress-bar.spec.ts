import { ProgressBar, progressLine } from '../../lib/bin/progress-bar.js';

describe('command line progress bar', () => {
  it('shows the bar, counts, percentage, rate and time left', () => {
    expect(progressLine('migrating', 5, 20, 2000)).toBe('migrating [######------------------] 5/20 25% 2.5/s ETA 6.0s');
    expect(progressLine('migrating', 20, 20, 4000)).toBe('migrating [########################] 20/20 100% 5.0/s');
    expect(progressLine('migrating', 0, 0, 0)).toBe('migrating [########################] 0/0 100% 0.0/s');
  });

  it('draws on a terminal and stays silent when stderr is piped', () => {
    const written = { tty: [] as string[], piped: [] as string[] };
    const stream = (isTTY: boolean, into: string[]) => ({ isTTY, write: (text: string) => into.push(text) }) as unknown as NodeJS.WriteStream;
    for (const [isTTY, into] of [
      [true, written.tty],
      [false, written.piped],
    ] as const) {
      const bar = new ProgressBar('migrating', stream(isTTY, into));
      bar.update(1, 2);
      bar.done();
    }
    const clearLine = '\r\u001b[2K';
    expect(written.tty).toEqual([expect.stringMatching(/migrating \[#{12}-{12}\] 1\/2 50% /), '\n']);
    expect(written.tty[0].startsWith(clearLine)).toBe(true);
    expect(written.piped).toEqual([]);
  });
});
