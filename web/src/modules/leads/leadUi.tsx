import { useEffect, useState } from 'react';
import { Anchor, Badge, Tooltip } from '@mantine/core';
import { IconClockExclamation, IconClockHour4 } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatPhoneRu } from '../../../../common/phone';
import { formatDateTimeRu } from '../../../../common/dates';
import type { Lead, LeadStatus } from '../../../../common/api/leads';
import { durationParts, formatMinutesNumber, slaState } from './sla';

/** The current time, refreshed every `intervalMs` (the SLA countdowns tick every 30 s). */
export function useNow(intervalMs = 30_000): number {
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  // a render between ticks (a lead arrived live) must not count from the last tick
  return Math.max(tick, Date.now());
}

/** «12 мин», «1 ч 20 мин», «2 д 3 ч». */
export function formatDuration(t: TFunction, minutes: number): string {
  if (minutes < 1) return t('leads.duration.lessMin');
  const p = durationParts(minutes);
  return t(`leads.duration.${p.key}`, { d: p.d, h: p.h, m: formatMinutesNumber(p.m) });
}

export function leadName(t: TFunction, lead: Pick<Lead, 'name' | 'company'>): string {
  return lead.name?.trim() || lead.company?.trim() || t('leads.noName');
}

/** «+7 912 345-67-89», or the number as the visitor typed it when it is not a valid phone. */
export function leadPhone(lead: Pick<Lead, 'phone' | 'phoneRaw'>): string | null {
  if (lead.phone) return formatPhoneRu(lead.phone);
  return lead.phoneRaw?.trim() || null;
}

export function telHref(lead: Pick<Lead, 'phone' | 'phoneRaw'>): string | null {
  if (lead.phone) return `tel:${lead.phone}`;
  const digits = lead.phoneRaw?.replace(/[^\d+]/g, '') ?? '';
  return digits.replace(/\D/g, '').length >= 5 ? `tel:${digits}` : null;
}

export function mailHref(email: string | null): string | null {
  return email && /^[^\s@<>"]+@[^\s@<>"]+$/.test(email) ? `mailto:${email}` : null;
}

/** Only web addresses become links (never `javascript:` from a submitted field). */
export function safeHttpUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function formatWhen(value: string | null | undefined): string {
  return value ? formatDateTimeRu(value) : '—';
}

const STATUS_COLOR: Record<LeadStatus, string> = { new: 'blue', in_work: 'violet', converted: 'green', junk: 'gray' };

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[status]} data-testid="lead-status">
      {t(`leads.status.${status}`)}
    </Badge>
  );
}

/** «осталось 12 мин» (green / orange), «просрочено на 5 мин» (red), «ответ за 3,5 мин». */
export function SlaBadge({ lead, now, size = 'md' }: { lead: Lead; now: number; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const state = slaState(lead, now);
  if (state.kind === 'none') return <span aria-hidden>—</span>;
  if (state.kind === 'answered') {
    return (
      <Badge variant="light" color="gray" size={size} tt="none" fw={500} data-testid="lead-sla" data-sla="answered">
        {t('leads.sla.answered', { time: formatDuration(t, state.minutes) })}
      </Badge>
    );
  }
  const overdue = state.kind === 'overdue';
  const color = overdue ? 'red' : state.urgent ? 'orange' : 'green';
  const badge = (
    <Badge
      variant={overdue ? 'filled' : 'light'}
      color={color}
      size={size}
      tt="none"
      fw={600}
      leftSection={overdue ? <IconClockExclamation size={14} /> : <IconClockHour4 size={14} />}
      data-testid="lead-sla"
      data-sla={overdue ? 'overdue' : state.urgent ? 'urgent' : 'ok'}
    >
      {overdue
        ? t('leads.sla.overdue', { time: formatDuration(t, state.minutes) })
        : t('leads.sla.left', { time: formatDuration(t, state.minutes) })}
    </Badge>
  );
  return lead.slaDueAt ? (
    <Tooltip label={t('leads.sla.due', { time: formatDateTimeRu(lead.slaDueAt) })} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** A phone as a `tel:` link (one tap on a phone). */
export function PhoneLink({ lead, size = 'sm' }: { lead: Pick<Lead, 'phone' | 'phoneRaw'>; size?: 'xs' | 'sm' | 'md' }) {
  const text = leadPhone(lead);
  if (!text) return null;
  const href = telHref(lead);
  return href ? (
    <Anchor href={href} size={size} className="tabular-nums" style={{ whiteSpace: 'nowrap' }} data-testid="lead-phone">
      {text}
    </Anchor>
  ) : (
    <span>{text}</span>
  );
}

export function EmailLink({ email, size = 'sm' }: { email: string | null; size?: 'xs' | 'sm' | 'md' }) {
  if (!email) return null;
  const href = mailHref(email);
  return href ? (
    <Anchor href={href} size={size} style={{ wordBreak: 'break-all' }}>
      {email}
    </Anchor>
  ) : (
    <span>{email}</span>
  );
}
