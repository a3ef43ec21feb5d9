/** Labels and time buckets of the reports: shared by the queries (reports.service.ts) and the file layouts (views.ts). */
import { addDaysToDate } from '../../../common/dates.js';
import type { Measure, TimeDimension } from '../../../common/api/reports.js';
import { isTimeDim, type EngineDim } from './engine.js';

export const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
export const pct = (a: number, b: number) => (b ? round((a * 100) / b, 2) : null);

export const additive = (m: Measure) => !['conversion', 'avg_check', 'first_response_minutes'].includes(m);

export const MONTHS = ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'];
export const TASK_TYPES: Record<string, string> = {
  call: 'Звонок',
  meeting: 'Встреча',
  email: 'Письмо',
  control: 'Контроль',
  other: 'Другое',
};
export const SENTIMENTS: Record<string, string> = { positive: 'Положительный', neutral: 'Нейтральный', negative: 'Отрицательный' };
export const NONE_LABEL: Partial<Record<EngineDim, string>> = {
  manager: 'Без ответственного',
  department: 'Без отдела',
  region: 'Регион не указан',
  source: 'Источник не указан',
  campaign: 'Без кампании',
  loss_reason: 'Причина не указана',
  product: 'Без товара из каталога',
};

/** The Monday of the ISO week of a date. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDaysToDate(date, -((dow + 6) % 7));
}

export function lastDayOfMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function bucketOf(unit: TimeDimension, date: string): string {
  switch (unit) {
    case 'day':
      return date;
    case 'week':
      return mondayOf(date);
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) + 2) / 3)}`;
    case 'year':
      return date.slice(0, 4);
  }
}

/** Every bucket of a time dimension from..to, in order. */
export function buckets(unit: TimeDimension, from: string, to: string): string[] {
  const out: string[] = [];
  if (unit === 'day') for (let d = from; d <= to; d = addDaysToDate(d, 1)) out.push(d);
  else if (unit === 'week') for (let d = mondayOf(from); d <= to; d = addDaysToDate(d, 7)) out.push(d);
  else {
    for (let d = `${from.slice(0, 7)}-01`; d <= to; d = addDaysToDate(lastDayOfMonth(d.slice(0, 7)), 1)) {
      const b = bucketOf(unit, d);
      if (out[out.length - 1] !== b) out.push(b);
    }
  }
  return out;
}

export function timeLabel(unit: TimeDimension, key: string): string {
  switch (unit) {
    case 'day':
      return `${key.slice(8, 10)}.${key.slice(5, 7)}.${key.slice(0, 4)}`;
    case 'week': {
      const end = addDaysToDate(key, 6);
      return `${key.slice(8, 10)}.${key.slice(5, 7)}–${end.slice(8, 10)}.${end.slice(5, 7)}.${end.slice(0, 4)}`;
    }
    case 'month':
      return `${MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
    case 'quarter':
      return `${key.slice(6)} кв. ${key.slice(0, 4)}`;
    case 'year':
      return key;
  }
}

export interface Labels {
  users: Map<string, { name: string; departmentId: string | null; role: string; active: boolean }>;
  departments: Map<string, string>;
  stages: Map<string, string>;
  reasons: Map<string, string>;
  products: Map<string, string>;
}

/** The label of a group key: a time bucket, a person, a department, a stage… ('' is «not given»). */
export function label(dim: EngineDim, key: string, l: Labels): string {
  if (isTimeDim(dim)) return timeLabel(dim, key);
  if (key === '') return NONE_LABEL[dim] ?? 'Не указано';
  switch (dim) {
    case 'manager':
      return l.users.get(key)?.name ?? key;
    case 'department':
      return l.departments.get(key) ?? key;
    case 'stage':
      return l.stages.get(key) ?? key;
    case 'loss_reason':
      return l.reasons.get(key) ?? key;
    case 'product':
      return l.products.get(key) ?? key;
    case 'task_type':
      return TASK_TYPES[key] ?? key;
    case 'sentiment':
      return SENTIMENTS[key] ?? key;
    default:
      return key;
  }
}
