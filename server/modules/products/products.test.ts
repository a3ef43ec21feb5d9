import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';

describeEachDialect('products', (h) => {
  it('admin, accountant and owner write; everyone reads', async () => {
    const accountant = await h.user('accountant');
    const owner = await h.user('owner');
    const res = await accountant.post('/api/products', {
      sku: 'ОК-100',
      name: 'Окно ПВХ 1200×1400',
      price: 1_234_56,
      unit: 'шт',
      vatRate: 22,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sku: 'ОК-100',
      name: 'Окно ПВХ 1200×1400',
      price: 123456,
      unit: 'шт',
      vatRate: 22,
      archived: false,
      version: 1,
    });
    expect((await owner.post('/api/products', { name: 'Монтаж', price: 500000 })).status).toBe(201);
    expect((await h.admin.post('/api/products', { name: 'Доставка', price: 0, vatRate: null })).status).toBe(201);

    for (const role of ['manager', 'head', 'production'] as const) {
      const c = await h.user(role);
      expect((await c.post('/api/products', { name: 'Нельзя', price: 100 })).status).toBe(403);
      expect((await c.patch(`/api/products/${res.body.id}`, { price: 1 })).status).toBe(403);
      const list = await c.get('/api/products?limit=500');
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: any) => p.name)).toContain('Окно ПВХ 1200×1400');
      expect((await c.get(`/api/products/${res.body.id}`)).body.price).toBe(123456);
    }
    const all = (await h.admin.get('/api/products?limit=500')).body.items.map((p: any) => p.name);
    expect(all).not.toContain('Нельзя');
  });

  it('defaults: unit «шт», no VAT', async () => {
    const res = await h.admin.post('/api/products', { name: 'Консультация', price: 300000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ unit: 'шт', vatRate: null, sku: null });
  });

  it('price must be integer kopecks ≥ 0: 400 naming price, nothing written', async () => {
    for (const price of [12.5, -1, '100', null]) {
      const res = await h.admin.post('/api/products', { name: `Плохая цена ${String(price)}`, price });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields)).toEqual(['price']);
    }
    const missing = await h.admin.post('/api/products', { name: 'Без цены' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.price).toBeTruthy();
    const list = (await h.admin.get('/api/products?q=цен&limit=500')).body.items;
    expect(list).toHaveLength(0);
  });

  it('vatRate must be one of 0, 5, 7, 10, 20, 22 or null; name required', async () => {
    const res = await h.admin.post('/api/products', { name: 'НДС 18', price: 100, vatRate: 18 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.vatRate).toMatch(/0, 5, 7, 10, 20, 22/);
    for (const vatRate of [0, 5, 7, 10, 20, 22]) {
      expect((await h.admin.post('/api/products', { name: `Ставка ${vatRate}`, price: 100, vatRate })).body.vatRate).toBe(vatRate);
    }
    const noName = await h.admin.post('/api/products', { name: '   ', price: 100 });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields.name).toBe('Обязательное поле');
  });

  it('a duplicate SKU is 409 naming sku', async () => {
    await h.admin.post('/api/products', { sku: 'DUP-1', name: 'Первый', price: 100 });
    const res = await h.admin.post('/api/products', { sku: 'DUP-1', name: 'Второй', price: 100 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('sku_taken');
    expect(res.body.error.fields.sku).toBeTruthy();
    const other = (await h.admin.post('/api/products', { sku: 'DUP-2', name: 'Третий', price: 100 })).body;
    const patch = await h.admin.patch(`/api/products/${other.id}`, { sku: 'DUP-1' });
    expect(patch.status).toBe(409);
    expect((await h.admin.get(`/api/products/${other.id}`)).body.sku).toBe('DUP-2');
  });

  it('search: Cyrillic case-insensitive, ё = е, by SKU too', async () => {
    const p = (await h.admin.post('/api/products', { sku: 'ST-77', name: 'Стёкла ЗАКАЛЁННЫЕ', price: 990000 })).body;
    for (const q of ['закаленные', 'СТЕКЛА', 'стёкла зак', 'st-7']) {
      const res = await h.admin.get(`/api/products?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((x: any) => x.id)).toContain(p.id);
    }
    expect((await h.admin.get(`/api/products?q=${encodeURIComponent('50%')}`)).body.items).toEqual([]);
  });

  it('patch with version; stale version 409; archived products leave the default list', async () => {
    const p = (await h.admin.post('/api/products', { name: 'Подоконник', price: 150000, vatRate: 20 })).body;
    const ok = await h.admin.patch(`/api/products/${p.id}`, { price: 160000, vatRate: 22, version: p.version });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ price: 160000, vatRate: 22, version: 2 });
    const stale = await h.admin.patch(`/api/products/${p.id}`, { price: 1, version: p.version });
    expect(stale.status).toBe(409);
    expect((await h.admin.get(`/api/products/${p.id}`)).body.price).toBe(160000);
    const bad = await h.admin.patch(`/api/products/${p.id}`, { price: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.price).toBeTruthy();

    expect((await h.admin.patch(`/api/products/${p.id}`, { archived: true })).body.archived).toBe(true);
    const active = (await h.admin.get('/api/products?q=подоконник')).body.items;
    expect(active).toEqual([]);
    const archived = (await h.admin.get('/api/products?q=подоконник&archived=true')).body.items;
    expect(archived.map((x: any) => x.id)).toEqual([p.id]);
    const both = (await h.admin.get('/api/products?q=подоконник&archived=all')).body.items;
    expect(both).toHaveLength(1);
    expect((await h.admin.get('/api/products/nope')).status).toBe(404);
  });

  it('pages with a cursor in name order', async () => {
    for (const n of ['Я-товар', 'А-товар', 'М-товар']) await h.admin.post('/api/products', { name: n, price: 1 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await h.admin.get(`/api/products?q=${encodeURIComponent('-товар')}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((x: any) => x.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['А-товар', 'М-товар', 'Я-товар']);
  });

  it('upsertBySku creates then updates (1C import)', async () => {
    const products = h.server.ctx.services.products;
    const first = await products.upsertBySku(h.server.ctx.db, { sku: '1C-0001', name: 'Дверь', price: 2500000, vatRate: 22 });
    expect(first.created).toBe(true);
    const second = await products.upsertBySku(h.server.ctx.db, { sku: '1C-0001', name: 'Дверь стальная', price: 2600000 });
    expect(second.created).toBe(false);
    expect(second.product.id).toBe(first.product.id);
    const got = (await h.admin.get(`/api/products/${first.product.id}`)).body;
    expect(got).toMatchObject({ name: 'Дверь стальная', price: 2600000, vatRate: 22, sku: '1C-0001', version: 2 });
    await expect(products.upsertBySku(h.server.ctx.db, { sku: '1C-0002', name: 'X', price: -5 })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { price: expect.any(String) },
    });
  });
});
