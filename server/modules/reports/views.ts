/**
 * File layouts of the reports (XLSX, CSV, PDF): which columns, headers, totals and filters each report's file has.
 * The queries are in reports.service.ts; rendering is export.ts.
 */
import { notFound } from '../../platform/errors.js';
import { localDate } from '../../../common/dates.js';
import {
  dimensionLabels,
  measureInfo,
  timeDimensions,
  type ActivityReport,
  type ClientBaseReport,
  type CorrelationReport,
  type FunnelReport,
  type LossReasonsReport,
  type PlanFactReport,
  type ReviewsReport,
  type SalesReport,
  type SourcesReport,
  type TimeDimension,
} from '../../../common/api/reports.js';
import { planMetricLabels, type PlanMetric } from '../../../common/api/plans.js';
import type { ReportView, ViewColumn } from './export.js';
import { additive, round, timeLabel, type Labels } from './format.js';

export function reportView(report: string, params: Record<string, unknown>, data: any, l: Labels, tz: string): ReportView {
  const filters: string[] = [];
  if (data.from && data.to) filters.push(`Период: ${timeLabel('day', data.from)} — ${timeLabel('day', data.to)}`);
  if (params.ownerId) filters.push(`Сотрудник: ${l.users.get(String(params.ownerId))?.name ?? params.ownerId}`);
  if (params.departmentId) filters.push(`Отдел: ${l.departments.get(String(params.departmentId)) ?? params.departmentId}`);
  filters.push(`Сформирован: ${new Date().toLocaleString('ru-RU', { timeZone: tz })} (${tz})`);
  const stamp = localDate(new Date(), tz);
  const money = (key: string, header: string, sum = true): ViewColumn => ({ key, header, type: 'money', width: 16, sum });
  const int = (key: string, header: string, sum = true): ViewColumn => ({ key, header, type: 'integer', width: 12, sum });
  const num = (key: string, header: string): ViewColumn => ({ key, header, type: 'number', width: 12 });
  const txt = (key: string, header: string, width = 30): ViewColumn => ({ key, header, type: 'text', width });
  switch (report) {
    case 'sales': {
      const r = data as SalesReport;
      const info = measureInfo[r.measure];
      const valueType = info.unit === 'money' ? 'money' : info.unit === 'count' ? 'integer' : 'number';
      const columns: ViewColumn[] = r.groupBy.map((dim) =>
        txt(`${dim}Label`, dimensionLabels[dim], timeDimensions.includes(dim as TimeDimension) ? 16 : 30),
      );
      const sumRows = additive(r.measure) && !r.groupBy.includes('product');
      columns.push({ key: 'value', header: info.label, type: valueType, width: 18, sum: sumRows });
      if (!columns[0] || columns[0].key === 'value') columns.unshift(txt('label', 'Показатель'));
      const rows = r.groupBy.length ? r.rows : [{ label: info.label, value: r.total }];
      return {
        title: `${info.label}${r.groupBy.length ? ` по ${r.groupBy.map((d) => dimensionLabels[d].toLowerCase()).join(' и ')}` : ''}`,
        lines: [...filters, `База: ${info.basis}`],
        tables: [{ name: 'Отчёт', columns, rows, totals: r.groupBy.length ? { [columns[0].key]: 'Итого', value: r.total } : undefined }],
        filename: `Отчёт ${info.label.replace(/[,%]/g, '').trim()} ${stamp}`,
      };
    }
    case 'funnel': {
      const r = data as FunnelReport;
      const rows: Record<string, unknown>[] = r.stages.map((s) => ({ ...s }));
      rows.push({ name: 'Отказ (проиграно)', count: r.lost.count, amount: r.lost.amount });
      return {
        title: 'Воронка продаж',
        lines: [...filters, 'Сделки, созданные в периоде, дошедшие до этапа (по истории этапов)'],
        tables: [
          {
            name: 'Воронка',
            columns: [
              txt('name', 'Этап'),
              int('count', 'Сделок', false),
              money('amount', 'Сумма', false),
              num('conversion', 'Конверсия в следующий этап, %'),
              num('conversionFromFirst', 'От первого этапа, %'),
              num('avgDaysInStage', 'Дней на этапе (в среднем)'),
            ],
            rows,
          },
          {
            name: 'Причины отказа',
            columns: [txt('name', 'Причина отказа'), int('count', 'Сделок'), money('amount', 'Сумма')],
            rows: r.lost.byReason,
            totals: { name: 'Итого', count: r.lost.count, amount: r.lost.amount },
          },
        ],
        filename: `Воронка продаж ${stamp}`,
      };
    }
    case 'activity': {
      const r = data as ActivityReport;
      return {
        title: 'Активность менеджеров',
        lines: filters,
        tables: [
          {
            name: 'Активность',
            columns: [
              txt('name', 'Сотрудник'),
              int('calls', 'Звонки'),
              int('meetings', 'Встречи'),
              int('emails', 'Письма'),
              int('control', 'Контроль'),
              int('other', 'Другое'),
              int('tasksDone', 'Задач выполнено'),
              int('tasksOverdue', 'Просрочено'),
              int('dealsCreated', 'Новых сделок'),
              int('dealsWon', 'Выиграно'),
              money('wonAmount', 'Сумма выигранных'),
              money('revenue', 'Выручка'),
            ],
            rows: r.rows,
            totals: { ...r.total, name: 'Итого' },
          },
        ],
        filename: `Активность ${stamp}`,
      };
    }
    case 'client-base': {
      const r = data as ClientBaseReport;
      const segNames: Record<string, string> = {
        new: 'Новые (первая покупка за 90 дней)',
        active: 'Активные (покупка за 180 дней)',
        sleeping: 'Спящие (181–365 дней)',
        lost: 'Потерянные (более 365 дней)',
        noPurchases: 'Без покупок',
      };
      return {
        title: 'Структура клиентской базы',
        lines: filters,
        tables: [
          {
            name: 'ABC',
            columns: [txt('class', 'Класс', 8), int('clients', 'Клиентов'), money('revenue', 'Выручка'), num('share', 'Доля выручки, %')],
            rows: r.abc,
            totals: { class: 'Итого', share: 100 },
          },
          {
            name: 'XYZ',
            columns: [txt('class', 'Класс', 8), int('clients', 'Клиентов'), money('revenue', 'Выручка')],
            rows: r.xyz,
            totals: { class: 'Итого' },
          },
          {
            name: 'ABC-XYZ',
            columns: [txt('cell', 'Ячейка', 8), int('clients', 'Клиентов')],
            rows: Object.entries(r.matrix).map(([cell, clients]) => ({ cell, clients })),
          },
          {
            name: 'Сегменты',
            columns: [txt('segment', 'Сегмент', 40), int('clients', 'Клиентов')],
            rows: Object.entries(r.segments).map(([k, v]) => ({ segment: segNames[k] ?? k, clients: v })),
            totals: { segment: 'Итого' },
          },
          {
            name: 'Риск оттока',
            columns: [
              txt('name', 'Клиент', 40),
              { key: 'lastPurchase', header: 'Последняя покупка', type: 'date', width: 14 },
              int('purchases', 'Покупок', false),
              num('avgIntervalDays', 'Обычный интервал, дней'),
              int('daysSinceLast', 'Дней с последней', false),
              money('revenue', 'Выручка всего'),
            ],
            rows: r.churnRisk.items,
          },
        ],
        filename: `Клиентская база ${stamp}`,
      };
    }
    case 'loss-reasons': {
      const r = data as LossReasonsReport;
      return {
        title: 'Причины отказов',
        lines: [...filters, 'Сделки, проигранные в периоде'],
        tables: [
          {
            name: 'Причины',
            columns: [txt('name', 'Причина отказа'), int('count', 'Сделок'), money('amount', 'Сумма'), num('share', 'Доля, %')],
            rows: r.rows,
            totals: { name: 'Итого', ...r.total, share: r.rows.length ? 100 : null },
          },
        ],
        filename: `Причины отказов ${stamp}`,
      };
    }
    case 'sources': {
      const r = data as SourcesReport;
      return {
        title: 'Источники и рекламные кампании',
        lines: filters,
        tables: [
          {
            name: 'Источники',
            columns: [
              txt('source', 'Источник'),
              txt('campaign', 'Кампания'),
              int('leads', 'Лиды'),
              int('converted', 'В сделку'),
              num('leadConversion', 'Конверсия лидов, %'),
              int('deals', 'Новых сделок'),
              int('won', 'Выиграно'),
              money('wonAmount', 'Сумма выигранных'),
              money('revenue', 'Выручка'),
            ],
            rows: r.rows.map((x) => ({ ...x, source: x.source ?? 'Не указан', campaign: x.campaign ?? '—' })),
            totals: { ...r.total, source: 'Итого', campaign: '' },
          },
        ],
        filename: `Источники ${stamp}`,
      };
    }
    case 'reviews': {
      const r = data as ReviewsReport;
      return {
        title: 'Отзывы клиентов',
        lines: filters,
        tables: [
          {
            name: 'Отзывы',
            columns: [
              txt('monthLabel', 'Месяц', 16),
              int('count', 'Отзывов'),
              num('avgRating', 'Средняя оценка'),
              int('positive', 'Положительных'),
              int('neutral', 'Нейтральных'),
              int('negative', 'Отрицательных'),
              num('negativeShare', 'Доля отрицательных, %'),
            ],
            rows: r.rows.map((x) => ({ ...x, monthLabel: timeLabel('month', x.month) })),
            totals: { ...r.total, monthLabel: 'Итого' },
          },
        ],
        filename: `Отзывы ${stamp}`,
      };
    }
    case 'correlation': {
      const r = data as CorrelationReport;
      const f = (v: number | null) => (v === null ? '—' : String(round(v, 4)).replace('.', ','));
      return {
        title: `Корреляция: ${measureInfo[r.x].label} и ${measureInfo[r.y].label}`,
        lines: [...filters, `r = ${f(r.r)}, R² = ${f(r.r2)}, y = ${f(r.slope)}·x + ${f(r.intercept)} (точек: ${r.n})`],
        tables: [
          {
            name: 'Точки',
            columns: [
              txt('label', r.by === 'manager' ? 'Менеджер' : 'Месяц'),
              { key: 'x', header: measureInfo[r.x].label, type: measureInfo[r.x].unit === 'money' ? 'money' : 'number', width: 18 },
              { key: 'y', header: measureInfo[r.y].label, type: measureInfo[r.y].unit === 'money' ? 'money' : 'number', width: 18 },
            ],
            rows: r.points,
          },
        ],
        filename: `Корреляция ${stamp}`,
      };
    }
    case 'plan-fact': {
      const r = data as PlanFactReport;
      return {
        title: `План / факт — ${timeLabel('month', r.period)}`,
        lines: [
          ...filters.filter((x) => !x.startsWith('Период')),
          `Прошло дней: ${r.elapsedDays} из ${r.days}; прогноз — факт, продолженный линейно до конца месяца`,
        ],
        tables: [
          {
            name: 'План-факт',
            columns: [
              txt('name', 'Сотрудник'),
              txt('metricLabel', 'Показатель', 20),
              int('target', 'План', false),
              int('fact', 'Факт', false),
              num('percent', 'Выполнение, %'),
              int('forecast', 'Прогноз', false),
            ],
            rows: r.rows.map((x) => ({
              ...x,
              metricLabel: planMetricLabels[x.metric as PlanMetric] ?? x.metric,
              // Money plans in roubles in the file: the integer columns show counts and roubles alike.
              target: x.metric === 'revenue' ? x.target / 100 : x.target,
              fact: x.metric === 'revenue' ? x.fact / 100 : x.fact,
              forecast: x.metric === 'revenue' ? x.forecast / 100 : x.forecast,
            })),
          },
        ],
        filename: `План-факт ${r.period}`,
      };
    }
    default:
      throw notFound();
  }
}
