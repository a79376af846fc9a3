/** Telemetry settings. */
export interface TelemetryOptions {
  /**
   * Report spans and metrics through `@opentelemetry/api` (when it is installed) and publish on the
   * `node:diagnostics_channel` channels. `false`: nothing is reported. @default true
   */
  enabled?: boolean;
}

/** {@link TelemetryOptions} with defaults filled in. */
export type TelemetrySettings = Required<TelemetryOptions>;
