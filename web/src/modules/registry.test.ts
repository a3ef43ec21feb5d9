import { describe, expect, it } from 'vitest';
import { hasRole } from '../auth/roles';
import { modules, visibleChildren, visibleModules } from './registry';
import { SECTION_ORDER, type ModuleDefinition } from './types';

const keys = (list: { key: string }[]) => list.map((item) => item.key);

describe('module registry', () => {
  it('keeps the navbar order', () => {
    const positions = modules.map((module) => SECTION_ORDER.indexOf(module.key));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('shows Настройки sub-pages by role', () => {
    const settings = modules.find((module) => module.key === 'settings')!;
    // Each sub-page appears exactly for the roles it declares (modules keep adding sub-pages); one decided by the
    // server's permissions (`access`) stays hidden while those are unknown.
    for (const role of ['admin', 'owner', 'head', 'manager', 'accountant', 'production'] as const) {
      const expected = (settings.children ?? []).filter((c) => (!c.roles || c.roles.includes(role)) && !c.access).map((c) => c.key);
      expect(keys(visibleChildren(settings, role))).toEqual(expected);
    }
    expect(keys(visibleChildren(settings, 'admin'))).toEqual(expect.arrayContaining(['users', 'departments', 'api-tokens']));
    expect(keys(visibleChildren(settings, 'owner'))).not.toContain('users');
    expect(keys(visibleChildren(settings, 'manager'))).toContain('api-tokens');
    expect(keys(visibleChildren(settings, 'manager'))).not.toContain('users');
  });

  it('hides a section whose sub-pages are all closed to the role', () => {
    const Page = () => null;
    const onlyAdmins: ModuleDefinition = {
      key: 'reports',
      path: '/reports',
      labelKey: 'nav.reports',
      icon: (() => null) as unknown as ModuleDefinition['icon'],
      children: [{ key: 'x', path: '/reports/x', labelKey: 'nav.reports', roles: ['admin'], element: Page }],
    };
    expect(keys(visibleModules('admin', [onlyAdmins]))).toEqual(['reports']);
    expect(visibleModules('manager', [onlyAdmins])).toEqual([]);
  });

  it('treats no roles as everyone', () => {
    expect(hasRole('production', undefined)).toBe(true);
    expect(hasRole('production', [])).toBe(true);
    expect(hasRole('production', ['admin'])).toBe(false);
    expect(hasRole(undefined, ['admin'])).toBe(false);
  });
});
