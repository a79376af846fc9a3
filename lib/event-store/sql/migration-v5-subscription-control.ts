import type { Migration } from './migration.interface.js';

/**
 * Operator control of subscriptions, kept with the checkpoint so any node (or a CLI holding only
 * the store) can ask and the owner obeys: `paused` survives restarts; `reset_to` is a reset asked
 * for and not yet carried out by an owner; `owner` names the node that took the subscription last.
 */
export const subscriptionControl: Migration = {
  version: 5,
  name: 'subscription control',
  statements: ({ quoted: s }) => [
    `ALTER TABLE ${s}.subscriptions
       ADD COLUMN paused boolean NOT NULL DEFAULT false,
       ADD COLUMN reset_to bigint,
       ADD COLUMN owner text`,
  ],
};
