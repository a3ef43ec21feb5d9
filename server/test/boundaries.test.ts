/**
 * The module boundaries of eslint.config.js (docs/ARCHITECTURE.md «Enforced boundaries») fail on a violation:
 * each case lints one import line as if it were written in the given file.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module boundaries (eslint no-restricted-imports)', () => {
  it.each([
    ['server/modules/auth/auth.service.ts', "import { x } from '../users/users.repo.js';", /repo\/routes другого модуля/],
    ['server/modules/auth/auth.service.ts', "import type { x } from '../users/users.repo.js';", /repo\/routes другого модуля/],
    ['server/modules/leads/leads.module.ts', "import { x } from '../forms/forms.routes.js';", /repo\/routes другого модуля/],
    ['server/modules/leads/leads.test.ts', "import { x } from '../forms/forms.repo.js';", /repo\/routes другого модуля/],
    ['server/modules/demo/demo.command.ts', "import { x } from '../../app.js';", /точку сборки/],
    ['server/platform/http.ts', "import { x } from '../modules/users/users.service.js';", /Платформа не зависит от модулей/],
    ['server/platform/db/migrations/008_reports.ts', "import { x } from '../../../modules/reports/rollup-schema.js';", /Платформа/],
    ['server/platform/bootstrap.ts', "import { x } from '../app.js';", /точку сборки/],
    [
      'web/src/modules/deals/DealsPage.tsx',
      "import { x } from '../../../../server/platform/errors';",
      /Веб-интерфейс не импортирует server/,
    ],
    ['common/api/deals.ts', "import { x } from '../../server/platform/errors.js';", /common\//],
    ['common/dates.ts', "import { x } from '../web/src/api/client';", /common\//],
  ])('%s: %s is refused', async (file, code, message) => {
    const found = await violations(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    ['server/modules/auth/auth.service.ts', "import { x } from './auth.repo.js';"],
    ['server/modules/auth/auth.service.ts', "import { x } from '../users/users.service.js';"],
    ['server/modules/reports/reports.service.ts', "import { x } from '../../platform/db/rollup-schema.js';"],
    ['server/modules/demo/demo.test.ts', "import { x } from '../../app.js';"],
    ['server/platform/cluster.test.ts', "import { x } from '../app.js';"],
    ['server/app.ts', "import { x } from './modules/index.js';"],
    ['web/src/modules/deals/DealsPage.tsx', "import { x } from '../../../../common/api/deals';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});

describe('module files', () => {
  it('every folder under server/modules has one <folder>.module.ts whose ModuleDef is in modules/index.ts', async () => {
    const { readdirSync } = await import('node:fs');
    const { modules } = await import('../modules/index.js');
    const root = new URL('../modules/', import.meta.url);
    const folders = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    for (const folder of folders) {
      const files = readdirSync(new URL(`${folder}/`, root)).filter((f) => f.endsWith('.module.ts'));
      expect(files, folder).toEqual([`${folder}.module.ts`]);
      const exported = Object.values(await import(`../modules/${folder}/${folder}.module.ts`));
      expect(
        exported.filter((v) => modules.includes(v as never)),
        folder,
      ).toHaveLength(1);
    }
    expect(modules.map((m) => m.name).sort()).toEqual([...folders].sort());
  });
});
