import { createInterface } from 'node:readline/promises';
import { forgetSubject } from '../event-store/forget-subject.js';
import { type CliCommand, type CliContext, UsageError } from './cli-command.js';

/**
 * Forgetting cannot be undone: `--yes` confirms it, or, on a terminal, typing the subject id again.
 * Without a terminal and without `--yes` the command refuses, so a script never forgets by accident.
 */
async function confirmed(context: CliContext, subjectId: string): Promise<boolean> {
  if (context.values.yes === true) return true;
  if (!process.stdin.isTTY) throw new UsageError(`forgetting ${JSON.stringify(subjectId)} cannot be undone: confirm it with --yes`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Forgetting destroys the key of ${JSON.stringify(subjectId)} for good. Type the subject id to confirm: `);
    return answer.trim() === subjectId;
  } finally {
    prompt.close();
  }
}

/** `forget <subjectId>`: destroys a data subject's key, so its personal fields read as their placeholder everywhere. */
export const command: CliCommand = {
  summary: "forget a person: destroy the subject's key, so its personal data reads as '[forgotten]' (cannot be undone)",
  usage: '<subjectId> [--yes]',
  details: `  --yes  confirm without being asked (required when not on a terminal)
  Records $SubjectForgotten on the stream $subject-<subjectId>; projectors handling it erase their copies.
  Safe to repeat. See docs/erasure-and-retention.md for what is and is not removed.`,
  flags: { yes: { type: 'boolean', short: 'y' } },
  positionals: { min: 1, max: 1, names: '<subjectId>' },
  async run(context) {
    const subjectId = context.positionals[0];
    if (!(await confirmed(context, subjectId))) {
      context.print('not confirmed: nothing forgotten');
      return 1;
    }
    const result = await forgetSubject(await context.openStore(), subjectId);
    if (context.json) return context.printJson(result);
    context.print(
      result.keyDestroyed
        ? `${subjectId} forgotten: key destroyed; SubjectForgotten at position ${result.position}`
        : `${subjectId} forgotten (it had no key left); SubjectForgotten at position ${result.position}`,
    );
  },
};
