import i18n from 'i18next';
import { lineTotal, vatFromGross } from '../../../../common/money';
import type { DealItem, DealItemInput } from '../../../../common/api/deals';

/** A line of a deal being edited: quantity as typed, price in kopecks (null while not a valid amount). */
export interface DraftItem {
  key: string;
  productId: string | null;
  /** Shown next to a catalogue line. */
  sku?: string | null;
  unit?: string | null;
  name: string;
  quantity: number | string;
  price: number | null;
  vatRate: number | null;
}

let counter = 0;
export const newKey = () => `line-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function emptyItem(): DraftItem {
  return { key: newKey(), productId: null, name: '', quantity: 1, price: null, vatRate: 22 };
}

export function fromDealItems(items: readonly DealItem[]): DraftItem[] {
  return items.map((item) => ({
    key: item.id,
    productId: item.productId,
    name: item.name,
    quantity: item.quantity,
    price: item.price,
    vatRate: item.vatRate,
  }));
}

function quantityOf(value: number | string): number | null {
  const n = typeof value === 'number' ? value : Number(String(value).replace(/\s/g, '').replace(',', '.'));
  if (!Number.isFinite(n) || n <= 0 || n > 1_000_000_000) return null;
  return /^\d+(\.\d{1,3})?$/.test(String(n)) ? n : null;
}

/** round(quantity × price) and its VAT, or null while the line is incomplete. */
export function lineAmounts(item: DraftItem): { total: number; vat: number } | null {
  const quantity = quantityOf(item.quantity);
  if (quantity === null || item.price === null) return null;
  try {
    const total = lineTotal(quantity, item.price);
    return { total, vat: vatFromGross(total, item.vatRate) };
  } catch {
    return null;
  }
}

export function totals(items: readonly DraftItem[]): { total: number; vat: number; hasVat: boolean } {
  let total = 0;
  let vat = 0;
  for (const item of items) {
    const amounts = lineAmounts(item);
    if (!amounts) continue;
    total += amounts.total;
    vat += amounts.vat;
  }
  return { total, vat, hasVat: items.some((item) => item.vatRate !== null) };
}

/** Errors keyed `N.field` (the same shape as the server's `items.N.field`). */
export function validateItems(items: readonly DraftItem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  items.forEach((item, i) => {
    if (!item.name.trim()) errors[`${i}.name`] = i18n.t('deals.items.nameRequired');
    if (quantityOf(item.quantity) === null) errors[`${i}.quantity`] = i18n.t('deals.items.quantityInvalid');
    if (item.price === null) errors[`${i}.price`] = i18n.t('deals.items.priceInvalid');
  });
  return errors;
}

export function toItemInputs(items: readonly DraftItem[]): DealItemInput[] {
  return items.map((item) => ({
    ...(item.productId ? { productId: item.productId } : {}),
    name: item.name.trim(),
    quantity: quantityOf(item.quantity) ?? 0,
    price: item.price ?? 0,
    vatRate: item.vatRate,
  }));
}

/** The server's `items.N.field` errors → `N.field`; the rest stays for a form-level message. */
export function splitItemErrors(fields: Record<string, string> | undefined): {
  items: Record<string, string>;
  other: Record<string, string>;
} {
  const items: Record<string, string> = {};
  const other: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    if (path.startsWith('items.')) items[path.slice('items.'.length)] = message;
    else other[path] = message;
  }
  return { items, other };
}

export function sameItems(a: readonly DraftItem[], b: readonly DraftItem[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((item, i) => {
    const other = b[i];
    return (
      item.productId === other.productId &&
      item.name === other.name &&
      quantityOf(item.quantity) === quantityOf(other.quantity) &&
      item.price === other.price &&
      item.vatRate === other.vatRate
    );
  });
}
