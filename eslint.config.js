import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { readdirSync } from 'node:fs';

/*
 * Module boundaries (docs/ARCHITECTURE.md, «Enforced boundaries»). `no-restricted-imports` matches the import
 * string as written, so each rule is a regex over relative paths:
 *  - server/modules/<m>/** never imports another module's *.repo or *.routes file: a module reaches another
 *    through its service (ctx.services) or events;
 *  - server/platform/** never imports server/modules/**;
 *  - modules and platform never import the composition root (server/app.ts, main.ts): a CLI command gets a
 *    `Boot` from platform/bootstrap.ts. Tests (*.test.ts) may: a test builds the whole application;
 *  - web/** never imports server/**; common/** imports neither server/ nor web/.
 * Type-only imports count too: the types another module shares belong to its service or to common/.
 */
const TESTS = ['**/*.test.ts'];
const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } });
const compositionRoot = {
  regex: '^(\\.\\./)+(app|main)(\\.[jt]s)?$',
  message: 'Модули и платформа не импортируют точку сборки (server/app.ts, main.ts): CLI-команда получает Boot из platform/bootstrap.ts.',
};
const otherModule = (m) => ({
  regex: `^(\\.\\./)+(modules/)?(?!${m}/)[^./][^/]*/[^/]*\\.(repo|routes)(\\.[jt]s)?$`,
  message: 'Модуль не импортирует repo/routes другого модуля: только его сервис (ctx.services) или события.',
});
const platformToModules = { regex: '^(\\.\\./)+modules(/|$)', message: 'Платформа не зависит от модулей (server/modules/**).' };
const moduleFolders = readdirSync(new URL('./server/modules/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const boundaries = [
  ...moduleFolders.flatMap((m) => {
    const files = [`server/modules/${m}/**/*.{ts,tsx,js}`];
    return [
      restrict(files, [otherModule(m), compositionRoot], TESTS),
      restrict(
        files.map((f) => f.replace('*.{ts,tsx,js}', '*.test.ts')),
        [otherModule(m)],
      ),
    ];
  }),
  restrict(['server/platform/**/*.{ts,tsx,js}'], [platformToModules, compositionRoot], TESTS),
  restrict(['server/platform/**/*.test.ts'], [platformToModules]),
  restrict(
    ['web/**/*.{ts,tsx,js}'],
    [{ regex: '^(\\.\\./)+server(/|$)', message: 'Веб-интерфейс не импортирует server/**: общее лежит в common/.' }],
  ),
  restrict(
    ['common/**/*.{ts,tsx,js}'],
    [{ regex: '^(\\.\\./)+(server|web)(/|$)', message: 'common/ — чистые общие модули: не импортирует ни server/, ни web/.' }],
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'artifacts/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['warn', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        localStorage: 'readonly',
        HTMLElement: 'readonly',
        HTMLFormElement: 'readonly',
        Element: 'readonly',
        Event: 'readonly',
      },
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...boundaries,
);
