import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { ProductsTable } from '../../platform/db/schema.js';
import type { Product } from '../../../common/api/products.js';
import { containsPattern } from '../../platform/text.js';

export type ProductRow = Selectable<ProductsTable>;

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    price: Number(r.price),
    unit: r.unit,
    vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
    archived: r.archived === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const productsRepo = {
  findById(db: Executor, id: string) {
    return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findBySku(db: Executor, sku: string) {
    return db.selectFrom('products').selectAll().where('sku', '=', sku).executeTakeFirst();
  },
  /** The first product whose normalised name is `searchText` (imports dedupe by name). */
  findByName(db: Executor, searchText: string) {
    return db.selectFrom('products').selectAll().where('search_text', '=', searchText).orderBy('created_at').limit(1).executeTakeFirst();
  },
  delete(db: Executor, id: string) {
    return db.deleteFrom('products').where('id', '=', id).execute();
  },
  findByIds(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as ProductRow[]);
    return db.selectFrom('products').selectAll().where('id', 'in', ids).execute();
  },
  list(db: Executor, opts: { q?: string; archived: 'true' | 'false' | 'all'; limit: number; after?: { name: string; id: string } }) {
    let q = db.selectFrom('products').selectAll();
    if (opts.archived !== 'all') q = q.where('archived', '=', opts.archived === 'true' ? 1 : 0);
    if (opts.q && opts.q.trim()) {
      const pattern = containsPattern(opts.q);
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`${eb.ref('search_text')} like ${pattern} escape '\\'`,
          sql<boolean>`lower(${eb.ref('sku')}) like ${pattern} escape '\\'`,
        ]),
      );
    }
    if (opts.after) {
      const { name, id } = opts.after;
      q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
    }
    return q
      .orderBy('name')
      .orderBy('id')
      .limit(opts.limit + 1)
      .execute();
  },
  insert(db: Executor, row: Omit<ProductRow, 'version'>) {
    return db.insertInto('products').values(row).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Executor, id: string, patch: Partial<Omit<ProductRow, 'id' | 'version'>>, version?: number) {
    let q = db
      .updateTable('products')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
};
