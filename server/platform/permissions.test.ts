/**
 * The permissions the web UI receives with the session are the ones the services enforce (DESIGN §6): one table in
 * platform/permissions.ts, no role lists of the UI's own.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, TEST_PASSWORD } from '../test/harness.js';
import { resourceValues } from '../../common/api/permissions.js';
import { roles } from './permissions.js';

describeEachDialect('permissions sent to the UI', (h) => {
  it('login and me carry the caller’s scopes per resource, abilities and the roles that own records', async () => {
    const dept = await h.department();
    const manager = await h.user('manager', { departmentId: dept.id });
    const login = await h.anon.post('/api/auth/login', { email: manager.user!.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const me = await manager.get('/api/auth/me');
    expect(me.body.permissions).toEqual(login.body.permissions);
    const p = me.body.permissions;
    expect(Object.keys(p.scopes).sort()).toEqual([...resourceValues].sort());
    expect(p.scopes.client).toEqual({ read: 'own', write: 'own' });
    expect(p.scopes.product).toEqual({ read: 'all', write: 'none' });
    expect(p.scopes.audit).toEqual({ read: 'none', write: 'none' });
    expect(p.abilities).toEqual([]);
    expect(p.ownerRoles).toEqual(['manager', 'head', 'owner', 'admin']);

    const head = (await dept.head.get('/api/auth/me')).body.permissions;
    expect(head.scopes.deal).toEqual({ read: 'department', write: 'department' });
    expect(head.abilities).toEqual(['client.manage', 'deal.reopen', 'invoice.cancel', 'data.import']);
    // A head without a department leads nobody: his own records only.
    const loneHead = (await (await h.user('head')).get('/api/auth/me')).body.permissions;
    expect(loneHead.scopes.deal).toEqual({ read: 'own', write: 'own' });

    const accountant = (await (await h.user('accountant')).get('/api/auth/me')).body.permissions;
    expect(accountant.scopes.client).toEqual({ read: 'all', write: 'none' });
    expect(accountant.abilities).toEqual(['invoice.cancel', 'payment.delete']);
    expect((await h.admin.get('/api/auth/me')).body.permissions.abilities).toEqual([
      'client.manage',
      'deal.reopen',
      'invoice.cancel',
      'payment.delete',
      'production_order.step_back',
      'data.import',
    ]);
  });

  it('what the UI is told is what the server enforces: client.manage decides a client’s deletion', async () => {
    const manager = await h.user('manager');
    const created = await manager.post('/api/clients', { kind: 'company', name: 'ООО «Права»' });
    expect(created.status).toBe(201);
    const told = (await manager.get('/api/auth/me')).body.permissions;
    expect(told.abilities).not.toContain('client.manage');
    expect((await manager.delete(`/api/clients/${created.body.id}`)).status).toBe(403);
    const owner = await h.user('owner');
    expect((await owner.get('/api/auth/me')).body.permissions.abilities).toContain('client.manage');
    expect((await owner.delete(`/api/clients/${created.body.id}`)).status).toBe(204);
  });

  it('every role gets a complete table', async () => {
    for (const role of roles) {
      const c = await h.user(role);
      const p = (await c.get('/api/auth/me')).body.permissions;
      for (const resource of resourceValues) expect(['all', 'department', 'own', 'none']).toContain(p.scopes[resource].read);
    }
  });
});
