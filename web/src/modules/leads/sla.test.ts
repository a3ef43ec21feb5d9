import { describe, expect, it } from 'vitest';
import { durationParts, formatMinutesNumber, slaState } from './sla';

const created = '2026-11-26T11:00:00.000Z';
const due = '2026-11-26T11:15:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('slaState', () => {
  it('counts down, orange in the last third', () => {
    expect(slaState({ status: 'new', createdAt: created, slaDueAt: due, firstResponseMinutes: null }, at('2026-11-26T11:03:00Z'))).toEqual({
      kind: 'left',
      minutes: 12,
      urgent: false,
    });
    expect(slaState({ status: 'new', createdAt: created, slaDueAt: due, firstResponseMinutes: null }, at('2026-11-26T11:11:30Z'))).toEqual({
      kind: 'left',
      minutes: 4,
      urgent: true,
    });
  });
  it('counts up when overdue, at least 1 minute', () => {
    expect(slaState({ status: 'new', createdAt: created, slaDueAt: due, firstResponseMinutes: null }, at('2026-11-26T11:20:10Z'))).toEqual({
      kind: 'overdue',
      minutes: 5,
    });
    expect(
      slaState({ status: 'new', createdAt: created, slaDueAt: due, firstResponseMinutes: null }, at('2026-11-26T11:15:10Z')).kind,
    ).toBe('overdue');
  });
  it('shows the first response of a taken lead', () => {
    expect(
      slaState({ status: 'in_work', createdAt: created, slaDueAt: due, firstResponseMinutes: 3.5 }, at('2026-11-26T12:00:00Z')),
    ).toEqual({
      kind: 'answered',
      minutes: 3.5,
    });
    expect(slaState({ status: 'junk', createdAt: created, slaDueAt: null, firstResponseMinutes: null }, 0)).toEqual({ kind: 'none' });
  });
});

describe('durationParts', () => {
  it('minutes, hours, days', () => {
    expect(durationParts(12).key).toBe('min');
    expect(durationParts(80)).toEqual({ key: 'hourMin', d: 0, h: 1, m: 20 });
    expect(durationParts(120)).toEqual({ key: 'hour', d: 0, h: 2, m: 0 });
    expect(durationParts(1500)).toEqual({ key: 'dayHour', d: 1, h: 1, m: 0 });
    expect(formatMinutesNumber(3.5)).toBe('3,5');
    expect(formatMinutesNumber(12)).toBe('12');
  });
});
