// Import rules of the library, checked by `npm run lint`. Layers, lowest first: util, errors,
// constants → decorators → events, event-store → telemetry → cluster (membership and TCP links between nodes) →
// pubsub → aggregates → registry, subscriptions → process-managers (subscriptions with a delivery of their own) →
// commands → testing; diagnostics (operator reads) on event-store, inspector and bin on diagnostics (bin also on aggregates
// and events, to load an aggregate's state from an application's classes); files at the root of lib/ (module, providers,
// adapters, options) assemble it all and nothing below imports them, but bin, the command line, uses migrate and
// resolve-options. tenants holds the tenants' leaf concepts (options, the tenant list, the router port that aggregates,
// subscriptions and commands hand a tenant's call to); the engines themselves are files at the root. Inside a port folder, adapters sit beneath the port: they may import it, it never imports them,
// and adapters never import each other.

/** What each top-level folder of lib/ may import besides itself. */
const allowed = {
  util: [],
  errors: [],
  // The store's expected-version vocabulary (a leaf file) is also a dispatch option's.
  decorators: ['util', 'errors', 'constants.ts', 'event-store/expected-version.ts'],
  events: ['util', 'errors', 'constants.ts', 'decorators', 'event-store'],
  'event-store': ['util', 'errors', 'constants.ts'],
  cluster: ['util', 'errors', 'constants.ts', 'event-store'],
  pubsub: ['util', 'errors', 'constants.ts', 'cluster'],
  telemetry: ['util', 'errors', 'constants.ts', 'event-store'],
  tenants: ['util', 'errors', 'constants.ts', 'event-store'],
  aggregates: ['util', 'errors', 'constants.ts', 'decorators', 'events', 'event-store', 'pubsub', 'telemetry', 'tenants/tenant-router.ts'],
  registry: ['util', 'errors', 'constants.ts', 'events', 'event-store', 'cluster', 'aggregates', 'telemetry'],
  subscriptions: ['util', 'errors', 'constants.ts', 'decorators', 'events', 'event-store', 'pubsub', 'telemetry', 'tenants/tenant-router.ts'],
  'process-managers': ['util', 'errors', 'constants.ts', 'decorators', 'events', 'event-store', 'pubsub', 'telemetry', 'subscriptions'],
  commands: [
    'util',
    'errors',
    'constants.ts',
    'decorators',
    'event-store',
    'aggregates',
    'registry',
    'subscriptions',
    'telemetry',
    'tenants/tenant-router.ts',
  ],
  testing: ['util', 'errors', 'constants.ts', 'decorators', 'events', 'event-store', 'aggregates', 'subscriptions', 'process-managers'],
  diagnostics: ['util', 'errors', 'constants.ts', 'event-store'],
  inspector: ['util', 'errors', 'constants.ts', 'event-store', 'diagnostics'],
  bin: ['migrate.ts', 'resolve-options.ts', 'event-store', 'diagnostics', 'aggregates', 'events', 'errors', 'util'],
};

const escape = (name) => name.replace(/[.]/g, '\\.');
const layerRules = Object.entries(allowed).map(([folder, deps]) => ({
  name: `layer-${folder}`,
  comment: `lib/${folder} may import only ${deps.length ? deps.join(', ') : 'itself'} (and packages)`,
  severity: 'error',
  from: { path: `^lib/${escape(folder)}/` },
  to: { path: '^lib/', pathNot: [`^lib/${escape(folder)}/`, ...deps.map((d) => `^lib/${escape(d)}(/|$)`)] },
}));

/** Adapters beneath a port folder: the port never imports them, and they never import each other. */
const adapterRules = [
  ['event-store', ['memory', 'sql']],
  ['event-store/sql', ['pg', 'pglite']],
  ['pubsub', ['local', 'redis', 'cluster']],
  ['registry', ['local', 'cluster']],
].flatMap(([port, adapters]) => [
  {
    name: `port-above-adapters-${port}`,
    comment: `files of lib/${port}/ itself never import its adapters`,
    severity: 'error',
    from: { path: `^lib/${port}/[^/]+$` },
    to: { path: `^lib/${port}/(${adapters.join('|')})/` },
  },
  ...adapters.map((adapter) => ({
    name: `adapter-alone-${port}/${adapter}`,
    comment: `lib/${port}/${adapter} never imports a sibling adapter`,
    severity: 'error',
    from: { path: `^lib/${port}/${adapter}/` },
    to: { path: `^lib/${port}/(${adapters.filter((a) => a !== adapter).join('|')})/` },
  })),
]);

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import circles, not even type-only ones', severity: 'error', from: {}, to: { circular: true } },
    ...layerRules,
    ...adapterRules,
    {
      name: 'lib-stands-alone',
      comment: 'the library never imports the sample, the tests or the benchmarks',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(sample|test|bench)/' },
    },
    {
      name: 'sample-uses-public-api',
      comment: 'the sample imports the library only through its published entry points (package.json exports), as users do',
      severity: 'error',
      from: { path: '^sample/' },
      to: { path: '^lib/', pathNot: '^lib/(index|store|testing/index)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
