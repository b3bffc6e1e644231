// Architecture check (dependency-cruiser; `npm run lint`). The layers, bottom up:
//   shared/         the contract and pure helpers both sides use
//   guest-runtime/  what runs inside a guest's worker (never the compositor)
//   compositor/     the main-thread compositor; compositor/policy/ is its pure decision logic
//   demos/, test/, bench/, tooling/, scripts/, *.config.ts   everything around the product
// Type-only imports count (tsPreCompilationDeps below): a cycle or a layer breach through
// `import type` is still one.

/** npm packages, by whichever kind of dependency package.json lists them as. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No circular imports anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'policy-is-pure',
      comment:
        'compositor/policy/ is pure decision logic: it imports only compositor/policy/, shared/ ' +
        'and npm packages (no other compositor files, no Node built-ins).',
      severity: 'error',
      from: { path: '^compositor/policy/' },
      to: { pathNot: ['^compositor/policy/', '^shared/'], dependencyTypesNot: NPM },
    },
    {
      name: 'shared-imports-nothing-above',
      comment: 'shared/ is the bottom layer: it imports nothing from the compositor, the guest runtime, demos, tests, benchmarks or tooling.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(compositor|guest-runtime|demos|test|bench|tooling)/' },
    },
    {
      name: 'runtime-not-compositor',
      comment: 'guest-runtime/ runs inside guest workers and imports nothing from compositor/ (only shared/ is common ground).',
      severity: 'error',
      from: { path: '^guest-runtime/' },
      to: { path: '^compositor/' },
    },
    {
      name: 'product-not-demos-tests-bench',
      comment:
        'The product (compositor/, guest-runtime/, shared/) imports nothing from demos/, test/, bench/ or tooling/. ' +
        '(vite.config.ts and the tooling/ plugins may import anything but test/: see nothing-imports-test.)',
      severity: 'error',
      from: { path: '^(compositor|guest-runtime|shared)/' },
      to: { path: '^(demos|test|bench|tooling)/' },
    },
    {
      name: 'nothing-imports-test',
      comment: 'Nothing outside test/ imports from test/.',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a file or an installed package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      // Git-ignored and generated folders; scratch files the tests write; the hostile gallery's
      // deliberately unparsable fixture.
      path: ['^(\\.git|dist|\\.vite|test-results)/', '^demos/scratch/', '^test/fixtures/scratch/', '^test/[^/]*\\.tmp\\.ts$', '^demos/hostile/syntax-error\\.js$'],
    },
    // Count `import type` (and imports TypeScript would elide) as dependencies.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.d.mts', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
