import type { TFunction } from 'i18next';
import type { AuditEntry } from '../../../../common/api/audit';
import { formatMoney } from '../../ui/format';

/** Names the page can resolve ids with (users, departments). */
export interface AuditNames {
  user: (id: string) => string | undefined;
  department: (id: string) => string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const isChange = (v: unknown): v is { from: unknown; to: unknown } => !!v && typeof v === 'object' && 'from' in v && 'to' in v;

/** «Клиент «ООО Ромашка»», «Отчёт sales», «Сотрудник Иван Петров»… */
export function objectOf(e: AuditEntry, t: TFunction, names: AuditNames): string {
  const d = e.details ?? {};
  const label = t(`audit.entity.${e.entity}`, { defaultValue: e.entity });
  if (e.entity === 'session') return str(d.email) ?? label;
  if (e.action === 'export' && !d.report) return t(`audit.listExport.${e.entity}`, { defaultValue: label });
  const report = str(d.report);
  const name =
    str(d.name) ??
    str(d.title) ??
    (report ? t(`reports.nav.${report}`, { defaultValue: report }) : undefined) ??
    (e.entity === 'user' && e.entityId ? names.user(e.entityId) : undefined) ??
    str(d.userName);
  return name ? `${label} «${name}»` : label;
}

/** The entry's particulars in words: «роль: Менеджер → Руководитель; доступ: отключён», «формат XLSX, строк: 12». */
export function detailsOf(e: AuditEntry, t: TFunction, names: AuditNames): string {
  const d = e.details ?? {};
  const parts: string[] = [];
  const role = (v: unknown) => (typeof v === 'string' ? t(`roles.${v}`, { defaultValue: v }) : '—');
  const dep = (v: unknown) => (typeof v === 'string' ? (names.department(v) ?? v) : '—');
  const person = (v: unknown) => (typeof v === 'string' ? (names.user(v) ?? v) : '—');
  const active = (v: unknown) => t(v ? 'audit.detail.activeOn' : 'audit.detail.activeOff');
  if (d.setup === true) parts.push(t('audit.detail.setup'));
  if (d.throttled === true) parts.push(t('audit.detail.throttled'));
  if (str(d.format)) parts.push(`${t('audit.detail.format')} ${String(d.format).toUpperCase()}`);
  if (typeof d.rows === 'number') parts.push(`${t('audit.detail.rows')}: ${d.rows}`);
  if (typeof d.count === 'number') parts.push(`${t('audit.detail.count')}: ${d.count}`);
  if (isChange(d.role)) parts.push(`${t('audit.detail.role')}: ${role(d.role.from)} → ${role(d.role.to)}`);
  else if (e.entity === 'user' && typeof d.role === 'string') parts.push(`${t('audit.detail.role')}: ${role(d.role)}`);
  if (isChange(d.departmentId)) parts.push(`${t('audit.detail.department')}: ${dep(d.departmentId.from)} → ${dep(d.departmentId.to)}`);
  if (isChange(d.active)) parts.push(`${t('audit.detail.active')}: ${active(d.active.to)}`);
  if (isChange(d.headId)) parts.push(`${t('audit.detail.head')}: ${person(d.headId.from)} → ${person(d.headId.to)}`);
  if (isChange(d.renamed)) parts.push(`${t('audit.detail.renamed')}: ${String(d.renamed.to)}`);
  if (d.password === true) parts.push(t('audit.detail.password'));
  if (str(d.sourceName)) parts.push(t('audit.detail.merged', { name: str(d.sourceName) }));
  if (str(d.inn) || str(d.sourceInn)) parts.push(`${t('audit.detail.inn')} ${str(d.inn) ?? str(d.sourceInn)}`);
  if (typeof d.amount === 'number') parts.push(`${t('audit.detail.amount')} ${formatMoney(d.amount)}`);
  if (Array.isArray(d.changed) && d.changed.length) parts.push(`${t('audit.detail.changed')}: ${d.changed.join(', ')}`);
  return parts.join('; ');
}
