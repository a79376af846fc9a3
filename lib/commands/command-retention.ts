import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '../event-store/event-store.interface.js';
import { COMMAND_SETTINGS, type CommandSettings } from './command.options.js';

/** Longest pause between prunes: records outlive their retention by at most this much. */
const MAX_PRUNE_INTERVAL = 60 * 60 * 1000;

/**
 * Forgets recorded commands older than `commands.idempotencyRetention`, on a timer that never keeps
 * the process alive. Every node may run it: a prune is one age-bounded DELETE, and concurrent
 * prunes only share the work.
 */
@Injectable()
export class CommandRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CommandRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(COMMAND_SETTINGS) private readonly settings: CommandSettings,
  ) {}

  onApplicationBootstrap(): void {
    const interval = Math.min(Math.max(this.settings.idempotencyRetention / 2, 100), MAX_PRUNE_INTERVAL);
    this.timer = setInterval(() => void this.prune(), interval);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Prunes once now; returns how many records went. */
  async prune(): Promise<number> {
    try {
      return await this.store.pruneCommands(new Date(Date.now() - this.settings.idempotencyRetention));
    } catch (error) {
      // Harmless to miss one: the next prune takes the same records.
      this.logger.warn(`Pruning recorded commands failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
