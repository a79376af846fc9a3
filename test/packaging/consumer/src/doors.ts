// Each entry point of the package resolves, and nothing else of it does.
import * as main from 'nestjs-event-sourcing';
import * as store from 'nestjs-event-sourcing/store';
import * as testing from 'nestjs-event-sourcing/testing';

const refusal = async (specifier: string) =>
  import(specifier).then(
    () => 'resolved',
    (error: NodeJS.ErrnoException) => error.code,
  );

// @ts-expect-error -- the compiled files are not entry points.
const typesRefuseInternals: Promise<unknown> = import('nestjs-event-sourcing/dist/lib/resolve-options.js');
typesRefuseInternals.catch(() => undefined);

console.log(
  JSON.stringify({
    main: Object.keys(main).length,
    store: Object.keys(store).length,
    testing: Object.keys(testing).length,
    internal: await refusal('nestjs-event-sourcing/dist/lib/resolve-options.js'),
    internalInMain: ['EVENT_SOURCING_OPTIONS', 'PROGRESS_WINDOW_MS', 'AggregateScenario'].filter((name) => name in main),
  }),
);
