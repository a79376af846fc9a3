import { controlCommand } from './control-output.js';

/** `pause <subscription>`: stops delivery on whichever node owns it, until resumed. */
export const command = controlCommand(
  'stop delivering a subscription, on any node, until resumed (kept across restarts)',
  (control, name) => control.setPaused(name, true),
  'pause stored',
);
