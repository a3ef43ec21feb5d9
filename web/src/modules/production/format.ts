import type { ProductionItem, ProductionOrder } from '../../../../common/api/production';
import { localDate } from '../../../../common/dates';

const quantities = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 3 });

/** «3 шт», «2,5 м²»; «× 12» without a unit. */
export function formatQuantity(item: Pick<ProductionItem, 'quantity' | 'unit'>): string {
  const n = quantities.format(item.quantity);
  return item.unit ? `${n}\u00A0${item.unit}` : `×\u00A0${n}`;
}

/** The due date has passed and the order is not done (dates compared in the company zone). */
export function isOverdue(order: Pick<ProductionOrder, 'dueDate' | 'status'>, now: Date = new Date()): boolean {
  return order.status !== 'done' && !!order.dueDate && order.dueDate < localDate(now);
}

/** Board order of open work: the earliest due first (no due date last), then by number. */
export function byDueThenNumber(a: ProductionOrder, b: ProductionOrder): number {
  if (a.dueDate !== b.dueDate) {
    if (!a.dueDate) return 1;
    if (!b.dueDate) return -1;
    return a.dueDate < b.dueDate ? -1 : 1;
  }
  return a.number - b.number;
}
