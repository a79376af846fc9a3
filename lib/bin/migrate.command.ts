import { migrate } from '../migrate.js';
import type { CliCommand } from './cli-command.js';
import { ProgressBar } from './progress-bar.js';
import { connectionSettings } from './store-connection.js';

/** `migrate`: creates or upgrades the store's tables. */
export const command: CliCommand = {
  summary: 'create or upgrade the event store tables (safe to run from several processes at once)',
  usage: '',
  flags: {},
  usesStore: false,
  async run(context) {
    const settings = connectionSettings(context.values);
    const progress = new ProgressBar('migrating');
    const applied = await migrate(settings, (done, total, migration) => progress.update(done, total, `migration ${migration}`));
    progress.done();
    const schema = settings.schema!;
    if (context.json) context.printJson({ schema, applied });
    else context.print(applied.length ? `schema ${schema}: applied migrations ${applied.join(', ')}` : `schema ${schema}: already up to date`);
  },
};
