import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, fieldError, notFound, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { vatRates, type CreateProductInput, type PatchProductInput, type Product } from '../../../common/api/products.js';
import { normalizeText } from '../../platform/text.js';
import { productsRepo, toProduct, type ProductRow } from './products.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    products: ProductsService;
  }
}

const DEFAULT_UNIT = 'шт';
const skuTaken = () => new AppError('sku_taken', { fields: { sku: 'Такой артикул уже занят' } });
const isUniqueViolation = (err: unknown) => /unique|duplicate/i.test(String((err as Error)?.message));

export interface UpsertProductInput {
  sku: string;
  name: string;
  price: number;
  unit?: string | null;
  vatRate?: number | null;
  archived?: boolean;
}

/**
 * The catalogue: everyone reads it (to put products into deals); admin, owner and accountant change it.
 * Prices are kopecks with VAT included.
 */
export class ProductsService {
  constructor(private ctx: Ctx) {}

  async list(actor: Actor, q: { limit: number; cursor?: string; q?: string; archived?: 'true' | 'false' | 'all' }): Promise<Page<Product>> {
    void actor; // every signed-in user reads the catalogue (production included: it makes what is sold)
    const after = decodeCursor(q.cursor, 'string');
    const rows = await productsRepo.list(this.ctx.db, {
      q: q.q,
      archived: q.archived ?? 'false',
      limit: q.limit,
      after: after ? { name: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toProduct, (r) => encodeCursor(r.name, r.id));
  }

  async get(actor: Actor, id: string): Promise<Product> {
    void actor;
    const row = await productsRepo.findById(this.ctx.db, id);
    if (!row) throw notFound();
    return toProduct(row);
  }

  /** Products by id, for deal items (no permission check: the caller has done it). */
  async getMany(exec: Executor, ids: string[]): Promise<Map<string, Product>> {
    const rows = await productsRepo.findByIds(exec, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, toProduct(r)]));
  }

  /** Creates a product; imports pass their transaction as `exec`. */
  async create(actor: Actor, input: CreateProductInput, exec: Executor = this.ctx.db): Promise<Product> {
    assertCan(actor, 'product', 'write');
    const sku = input.sku ? input.sku : null;
    if (sku && (await productsRepo.findBySku(exec, sku))) throw skuTaken();
    const now = new Date().toISOString();
    try {
      const row = await productsRepo.insert(exec, {
        id: newId(),
        sku,
        name: input.name,
        search_text: normalizeText(input.name),
        price: input.price,
        unit: input.unit || DEFAULT_UNIT,
        vat_rate: input.vatRate ?? null,
        archived: 0,
        created_at: now,
        updated_at: now,
      });
      return toProduct(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw skuTaken();
      throw err;
    }
  }

  /** Changes a product; imports pass their transaction as `exec`. */
  async update(actor: Actor, id: string, patch: PatchProductInput, exec: Executor = this.ctx.db): Promise<Product> {
    assertCan(actor, 'product', 'write');
    const current = await productsRepo.findById(exec, id);
    if (!current) throw notFound();
    const set: Partial<ProductRow> = { updated_at: new Date().toISOString() };
    if (patch.sku !== undefined) {
      const sku = patch.sku ? patch.sku : null;
      if (sku && sku !== current.sku) {
        const other = await productsRepo.findBySku(exec, sku);
        if (other && other.id !== id) throw skuTaken();
      }
      set.sku = sku;
    }
    if (patch.name !== undefined) {
      set.name = patch.name;
      set.search_text = normalizeText(patch.name);
    }
    if (patch.price !== undefined) set.price = patch.price;
    if (patch.unit !== undefined) set.unit = patch.unit || DEFAULT_UNIT;
    if (patch.vatRate !== undefined) set.vat_rate = patch.vatRate;
    if (patch.archived !== undefined) set.archived = patch.archived ? 1 : 0;
    let row: ProductRow | undefined;
    try {
      row = await productsRepo.update(exec, id, set, patch.version);
    } catch (err) {
      if (isUniqueViolation(err)) throw skuTaken();
      throw err;
    }
    if (!row) throw versionConflict();
    return toProduct(row);
  }

  /** An existing product with this SKU, else with this name (case and ё folded), for an import's dedupe. */
  async findForImport(exec: Executor, key: { sku?: string | null; name?: string | null }): Promise<Product | null> {
    const bySku = key.sku ? await productsRepo.findBySku(exec, key.sku) : undefined;
    if (bySku) return toProduct(bySku);
    const byName = key.name ? await productsRepo.findByName(exec, normalizeText(key.name)) : undefined;
    return byName ? toProduct(byName) : null;
  }

  /**
   * Removes a product an import created (its undo), only while it is as the import left it (`version`, else 409) and
   * no deal uses it (409).
   */
  async removeImported(exec: Executor, id: string, version: number): Promise<void> {
    const row = await productsRepo.findById(exec, id);
    if (!row) return;
    if (row.version !== version) throw versionConflict();
    await sql`savepoint product_remove`.execute(exec);
    try {
      await productsRepo.delete(exec, id);
      await sql`release savepoint product_remove`.execute(exec);
    } catch (err) {
      await sql`rollback to savepoint product_remove`.execute(exec);
      if (/foreign key/i.test(String((err as Error).message))) {
        throw new AppError('conflict', {
          message: `Товар «${row.name}» после импорта добавлен в сделки`,
          messageEn: `The product «${row.name}» was added to deals after the import`,
        });
      }
      throw err;
    }
  }

  /**
   * Creates or updates the product with this SKU (1C catalogue import). No actor check: the importer has
   * done it. Runs in the caller's transaction when given one.
   */
  async upsertBySku(exec: Executor, input: UpsertProductInput): Promise<{ product: Product; created: boolean }> {
    const sku = input.sku.trim();
    if (!sku) throw fieldError('sku', 'Обязательное поле');
    const name = input.name.trim();
    if (!name) throw fieldError('name', 'Обязательное поле');
    if (!Number.isSafeInteger(input.price) || input.price < 0) throw fieldError('price', 'Цена — целое число копеек не меньше нуля');
    if (input.vatRate !== undefined && input.vatRate !== null && !(vatRates as readonly number[]).includes(input.vatRate)) {
      throw fieldError('vatRate', 'Ставка НДС: 0, 5, 7, 10, 20, 22 или без НДС');
    }
    const now = new Date().toISOString();
    const existing = await productsRepo.findBySku(exec, sku);
    if (existing) {
      const set: Partial<ProductRow> = { name, search_text: normalizeText(name), price: input.price, updated_at: now };
      if (input.unit) set.unit = input.unit;
      if (input.vatRate !== undefined) set.vat_rate = input.vatRate;
      if (input.archived !== undefined) set.archived = input.archived ? 1 : 0;
      const row = await productsRepo.update(exec, existing.id, set);
      return { product: toProduct(row!), created: false };
    }
    const row = await productsRepo.insert(exec, {
      id: newId(),
      sku,
      name,
      search_text: normalizeText(name),
      price: input.price,
      unit: input.unit || DEFAULT_UNIT,
      vat_rate: input.vatRate ?? null,
      archived: input.archived ? 1 : 0,
      created_at: now,
      updated_at: now,
    });
    return { product: toProduct(row), created: true };
  }
}
