import { controlCommand } from './control-output.js';

/** `resume <subscription>`: lets a paused subscription deliver again from its checkpoint. */
export const command = controlCommand(
  'let a paused subscription deliver again from its checkpoint',
  (control, name) => control.setPaused(name, false),
  'resume stored',
);
