// @ts-check
/**
 * One lint configuration for the repository (`pnpm lint`, run by .ci/run after the typecheck).
 *
 * - Service and library sources get typescript-eslint's type-aware recommended rules (each file is
 *   typed by the tsconfig.json of its package, found by the project service).
 * - The layering of docs/architecture.md is enforced by eslint-plugin-boundaries, on resolved paths
 *   (an import is classified by the file it reaches, not by how its specifier is spelled).
 * - Tests, benchmarks and scripts get the rules that need no type information (see below why).
 */
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Tests and their support code: unit tests beside the code, test/ and tests/, the test harness
 * (libs/testing: containers, the OpenAPI contract checker) and deploy/src (renders the manifests
 * for deploy's tests).
 */
const tests = ['**/*.test.ts', '**/*.test.tsx', 'services/console/web/src/test/**', '**/test/**', 'tests/**', 'libs/testing/**', 'deploy/src/**'];

/**
 * The files allowed to wire infrastructure to use cases: each service's start-up (`main.ts`), its
 * configuration (`config.ts`), and the other processes a service ships: the gateway's CLI and demo
 * seeding (and the admin-resources.ts they share), the redirector's route projector.
 */
const wiring = ['main', 'config', 'cli', 'demo', 'admin-resources', 'projector'];

/** Layers of a service, as directories of services/<name>/src. */
const layers = {
  domain: ['domain'],
  app: ['app'],
  // The redirector's attribution handlers are HTTP handlers too (they serve scripts and pages).
  http: ['http', 'attribution'],
  infra: ['infra'],
};

const serviceLayer = (type, dirs) => ({
  type,
  pattern: `services/*/src/${dirs.length === 1 ? dirs[0] : `{${dirs.join(',')}}`}`,
  partialMatch: false,
  capture: ['service'],
});

const boundaryElements = [
  ...Object.entries(layers).map(([type, dirs]) => serviceLayer(type, dirs)),
  // The files directly in src/: the wiring files, and nothing else should be there.
  { type: 'root', pattern: 'services/*/src', partialMatch: false, capture: ['service'] },
  { type: 'lib', pattern: 'libs/*/src', partialMatch: false, capture: ['lib'] },
];

const boundaryFiles = [
  { category: 'wiring', pattern: `services/*/src/{${wiring.join(',')}}.ts`, stopMatching: true },
  { category: 'unlisted', pattern: 'services/*/src/*.ts' },
];

const serviceTypes = ['domain', 'app', 'http', 'infra', 'root'];
const anyOf = (...types) => ({ types: { anyOf: types } });
const ofSameService = '{{ from.element.captured.service }}';

/** What may import what; everything not listed here is allowed (libraries, node:, packages). */
const boundaryPolicies = [
  {
    // Services talk through HTTP and Kafka; code shared by two services belongs in a lib.
    from: { element: anyOf(...serviceTypes) },
    disallow: { to: { element: { ...anyOf(...serviceTypes), captured: { service: `!${ofSameService}` } } } },
    message: 'a service never imports another service (move shared code to libs/)',
  },
  {
    from: { element: { type: 'lib' } },
    disallow: { to: { element: anyOf(...serviceTypes) } },
    message: 'a library never imports a service',
  },
  {
    from: { element: { type: 'domain' } },
    disallow: { to: { element: anyOf('app', 'http', 'infra', 'root') } },
    message: 'domain/ imports only domain/ (pure code, no I/O)',
  },
  {
    from: { element: { type: 'app' } },
    disallow: { to: { element: anyOf('http', 'infra', 'root') } },
    message: 'app/ imports domain/ and its ports (app/ports.ts), never http/, infra/ or the wiring',
  },
  {
    from: { element: { type: 'http' } },
    disallow: { to: { element: anyOf('infra', 'root') } },
    message: 'http/ calls use cases; it never imports infra/ or the wiring (main.ts passes the ports in)',
  },
  {
    from: { element: { type: 'infra' } },
    disallow: { to: { element: anyOf('http', 'root') } },
    message: 'infra/ implements ports; it never imports http/ or the wiring',
  },
  {
    from: { element: { type: 'root' }, file: { categories: 'unlisted' } },
    disallow: { to: { element: { type: 'infra' } } },
    message: `only the wiring files (${wiring.map((f) => `${f}.ts`).join(', ')}) wire infra/ to the use cases`,
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'libs/sdk/src/generated/**',
      'services/console/web/build/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // Everything: the rules that need no type information.
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (positional parameters, destructured omissions).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Service and library sources: type-aware rules, each file typed by its package's tsconfig.json.
  {
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts', 'services/console/web/src/**/*.{ts,tsx}'],
    ignores: tests,
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A forgotten promise is an unhandled rejection or a lost write. Deliberate fire-and-forget is
      // written `void x.catch(...)` with a comment saying why it may not be awaited.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },

  // Tests and their support: the rules without type information. The packages' tsconfig.json files
  // leave tests out (they are not built), so the project service has no program for them; and tests
  // walk parsed JSON (response bodies, OpenAPI documents, rendered manifests) as `any` on purpose,
  // which no-explicit-any and the no-unsafe-* rules would flag on every assertion.
  {
    files: tests,
    languageOptions: { globals: { ...globals.jest } },
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Environment variables come out of Joi's validation untyped; libs/config is where they become the
  // typed config sections (each service's config.ts maps its own the same way, through `read`).
  {
    files: ['libs/config/src/index.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },

  // The API reference page's script (served to browsers by the gateway, no build step).
  { files: ['services/gateway/openapi/docs/**/*.js'], languageOptions: { sourceType: 'script', globals: { ...globals.browser } } },

  // The console's web app (React, bundled for the browser).
  {
    files: ['services/console/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Reports libraries the React Compiler cannot memoize (TanStack Virtual); the app is not
      // built with the compiler, so there is nothing to act on.
      'react-hooks/incompatible-library': 'off',
    },
  },

  // The layering (docs/architecture.md, "Layers").
  {
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: tests,
    plugins: { boundaries },
    settings: {
      'boundaries/elements': boundaryElements,
      'boundaries/files': boundaryFiles,
      'boundaries/legacy-templates': false,
      'import/resolver': { typescript: { project: 'tsconfig.typecheck.json' } },
    },
    rules: { 'boundaries/dependencies': ['error', { default: 'allow', policies: boundaryPolicies }] },
  },
);
