const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

// NestJS 12 and some of its dependencies are published as ES modules only. Node 20 can require()
// them, but Jest's own module loader cannot before Node 24.9, so Jest compiles exactly those
// packages to CommonJS (found by their package.json "type", so the list never goes stale).
function esmPackages() {
  const root = join(__dirname, 'node_modules');
  const names = [];
  for (const entry of existsSync(root) ? readdirSync(root) : []) {
    const scoped = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of scoped) {
      try {
        if (JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).type === 'module') names.push(name);
      } catch {
        // not a package
      }
    }
  }
  return names;
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'json', 'ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages().map((n) => n.replace(/[.]/g, '\\.')).join('|')})/)`],
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  // E2E files start the app and spawn processes on a 2-core machine; a slow step is not a failure.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', roots: ['<rootDir>/src'], testRegex: '.*\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      // The TypeScript client is tested against the service started by the same harness.
      roots: ['<rootDir>/test', '<rootDir>/clients/typescript/test'],
      testRegex: '.*\\.e2e-spec\\.ts$',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
