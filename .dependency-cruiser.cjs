/**
 * The house's layering, checked by `npm run deps` (part of `npm test`).
 * Data flows one way: edge -> origin -> db; transcoder -> origin (over HTTP only). protocol/ is the
 * shared, runtime-neutral contract everyone may import; it imports nobody.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: a file imports, directly or not, the file that imports it.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycles',
      severity: 'error',
      comment: 'A cycle made of type imports only still means a file depends on the file that mounts it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'runtime-neutral-and-remote-tiers-never-import-origin-or-db',
      severity: 'error',
      comment:
        'edge/, transcoder/ and protocol/ talk to the origin over HTTP; they never import it or the database.',
      // edge/test/ holds Node-side global setups that start a real origin for the workerd suites.
      from: { path: '^(edge|transcoder|protocol)/', pathNot: '^(edge|transcoder)/test/' },
      to: { path: '^(origin|db)/' },
    },
    {
      name: 'ingest-talks-to-origin-over-http-only',
      severity: 'error',
      comment:
        'ingest/ checks keys with the origin over HTTP; it never imports the origin, the database, the edge or the transcoder.',
      from: { path: '^ingest/' },
      to: { path: '^(origin|db|edge|transcoder)/' },
    },
    {
      name: 'protocol-imports-only-protocol',
      severity: 'error',
      comment:
        'protocol/ is the shared contract: it may import itself and npm packages, nothing else of ours.',
      from: { path: '^protocol/' },
      to: { path: '^(edge|origin|transcoder|db|scripts|ingest|test|bench|deploy)/' },
    },
    {
      name: 'routes-never-import-db',
      severity: 'error',
      comment: 'Routes call services; only services write SQL.',
      from: { path: '^origin/src/routes/' },
      to: { path: '^db/|node_modules/(drizzle-orm|postgres|@electric-sql)/' },
    },
    {
      name: 'db-imports-only-db-and-protocol',
      severity: 'error',
      // Migration tests may borrow the origin's test harness (its database helpers).
      from: { path: '^db/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(edge|origin|transcoder|scripts|ingest)/' },
    },
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      comment: 'Test support lives in test folders and is imported by tests only.',
      from: {
        path: '^(edge|origin|transcoder|protocol|db|ingest)/src/|^(protocol|db)/',
        pathNot: '\\.test\\.tsx?$',
      },
      to: { path: '(^|/)test/|\\.test\\.tsx?$' },
    },
    {
      name: 'unit-tests-do-no-io',
      severity: 'error',
      comment:
        'A plain *.test.ts is a unit test: no processes, sockets, files or services. Name it *.int.test.ts, ' +
        '*.media.test.ts or *.e2e.test.ts instead.',
      from: { path: '(?<!\\.(int|media|e2e))\\.test\\.tsx?$', pathNot: '^edge/' },
      to: {
        path: '^(node:)?(child_process|net|http|https|fs|fs/promises|dgram|worker_threads)$|node_modules/(postgres|redis|@electric-sql|playwright-core|s3rver|undici)/',
      },
    },
  ],
  options: {
    exclude: { path: '^(data|\\.wrangler|\\.node)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
