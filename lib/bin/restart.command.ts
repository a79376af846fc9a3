import { controlCommand } from './control-output.js';

/** `restart <subscription>`: the owner starts over from its checkpoint; a halted one retries. */
export const command = controlCommand(
  'make the owner start over from its checkpoint (a subscription halted by its error policy retries)',
  (control, name) => control.requestRestart(name),
  'restart requested',
);
