import { IconCalendarEvent, IconEye, IconMail, IconNote, IconPhone, type TablerIcon } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { formatDateTimeRu } from '../../../../common/dates';
import type { Task, TaskType } from './api';
import { COMPANY_TZ } from './time';

export const TASK_TYPES: readonly TaskType[] = ['call', 'meeting', 'email', 'control', 'other'];

export const TYPE_ICONS: Record<TaskType, TablerIcon> = {
  call: IconPhone,
  meeting: IconCalendarEvent,
  email: IconMail,
  control: IconEye,
  other: IconNote,
};

export const TYPE_COLORS: Record<TaskType, string> = {
  call: 'blue',
  meeting: 'violet',
  email: 'cyan',
  control: 'orange',
  other: 'gray',
};

/** «26.11.2026 14:05» in the company zone. */
export function formatDue(iso: string | null | undefined): string {
  return iso ? formatDateTimeRu(iso, COMPANY_TZ) : '—';
}

/** 90 → «1 ч 30 мин», 1440 → «1 дн», 15 → «15 мин». */
function minutesText(minutes: number, lang: string): string {
  const ru = lang !== 'en';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} ${ru ? 'дн' : 'd'}`);
  if (h) parts.push(`${h} ${ru ? 'ч' : 'h'}`);
  if (m || parts.length === 0) parts.push(`${m} ${ru ? 'мин' : 'min'}`);
  return parts.join(' ');
}

/** The reminder of a task in words: «За 1 час», «За 2 ч», «В 26.11.2026 13:00»; null without one. */
export function reminderText(task: Pick<Task, 'remindAt' | 'remindBeforeMinutes'>, t: TFunction, lang: string): string | null {
  const before = task.remindBeforeMinutes;
  if (before !== null && before !== undefined) {
    if (before === 15 || before === 60 || before === 1440) return t(`tasks.remind.m${before}`);
    return t('tasks.remind.custom', { value: minutesText(before, lang) });
  }
  if (task.remindAt) return t('tasks.remind.at', { time: formatDue(task.remindAt) });
  return null;
}
