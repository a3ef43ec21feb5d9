import { describe, expect, it } from 'vitest';
import { accessOf, type Permissions } from './permissions';
import { allowed } from '../modules/registry';

const head: Permissions = {
  scopes: {
    client: { read: 'department', write: 'department' },
    deal: { read: 'department', write: 'department' },
    task: { read: 'department', write: 'department' },
    lead: { read: 'department', write: 'department' },
    invoice: { read: 'department', write: 'department' },
    product: { read: 'all', write: 'none' },
    production_order: { read: 'department', write: 'none' },
    review: { read: 'department', write: 'department' },
    report: { read: 'department', write: 'department' },
    user: { read: 'all', write: 'none' },
    department: { read: 'all', write: 'none' },
    settings: { read: 'all', write: 'none' },
    pipeline: { read: 'all', write: 'none' },
    automation: { read: 'none', write: 'none' },
    form: { read: 'all', write: 'none' },
    audit: { read: 'none', write: 'none' },
    backup: { read: 'none', write: 'none' },
  },
  abilities: ['client.manage', 'deal.reopen', 'invoice.cancel'],
  ownerRoles: ['manager', 'head', 'owner', 'admin'],
};

describe('the permissions helper reads what the server sent', () => {
  it('scopes, any access, beyond one’s own, abilities', () => {
    const a = accessOf(head);
    expect(a.scopeOf('deal')).toBe('department');
    expect(a.can('deal', 'write')).toBe(true);
    expect(a.can('product', 'write')).toBe(false);
    expect(a.beyondOwn('task', 'write')).toBe(true);
    expect(a.has('deal.reopen')).toBe(true);
    expect(a.has('payment.delete')).toBe(false);
    expect(a.ownerRoles).toContain('manager');
  });

  it('signed out or loading: nothing', () => {
    const a = accessOf(null);
    expect(a.can('client')).toBe(false);
    expect(a.scopeOf('client', 'write')).toBe('none');
    expect(a.has('client.manage')).toBe(false);
  });

  it('sections open by the server’s permissions', () => {
    const reviews = { access: (x: ReturnType<typeof accessOf>) => x.can('review') };
    expect(allowed(reviews, 'head', accessOf(head))).toBe(true);
    expect(allowed({ access: (x) => x.can('automation', 'write') }, 'head', accessOf(head))).toBe(false);
    expect(allowed(reviews, 'head', undefined)).toBe(false);
    expect(allowed({ roles: ['admin'] }, 'head', accessOf(head))).toBe(false);
  });
});
