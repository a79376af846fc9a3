import type { Telemetry } from './telemetry.interface.js';

/** Telemetry turned off (`telemetry: { enabled: false }`): every step just runs. */
export class NoopTelemetry implements Telemetry {
  dispatch<T>(_command: object, run: () => Promise<T>): Promise<T> {
    return run();
  }

  forward<T>(_command: unknown, _owner: string, run: (trace: undefined) => Promise<T>): Promise<T> {
    return run(undefined);
  }

  receive<T>(_command: unknown, _trace: unknown, run: () => Promise<T>): Promise<T> {
    return run();
  }

  load<T>(_aggregateType: string, _streamId: string, run: () => Promise<T>): Promise<T> {
    return run();
  }

  execute<T>(_command: unknown, run: () => Promise<T>): Promise<T> {
    return run();
  }

  retried(): void {}

  append<T>(_command: unknown, _events: unknown, run: () => Promise<T>): Promise<T> {
    return run();
  }

  deliver<T>(_subscription: string, _event: unknown, run: () => Promise<T>): Promise<T> {
    return run();
  }

  observe(): () => void {
    return () => undefined;
  }
}
