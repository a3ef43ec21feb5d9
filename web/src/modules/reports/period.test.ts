import { describe, expect, it } from 'vitest';
import { monthEnd, monthProgress, presetRange, resolveRange } from './period';

describe('report periods', () => {
  const today = new Date(2026, 10, 26); // 26.11.2026

  it('presets', () => {
    expect(presetRange('month', today)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(presetRange('prev', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetRange('quarter', today)).toEqual({ from: '2026-10-01', to: '2026-11-26' });
    expect(presetRange('year', today)).toEqual({ from: '2026-01-01', to: '2026-11-26' });
    expect(presetRange('prev', new Date(2026, 0, 15))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('custom ranges fall back to this month when broken', () => {
    expect(resolveRange('custom', '2026-02-01', '2026-02-10', today)).toEqual({ from: '2026-02-01', to: '2026-02-10' });
    expect(resolveRange('custom', '2026-02-10', '2026-02-01', today)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(resolveRange('custom', null, null, today)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
  });

  it('month ends and progress', () => {
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(monthEnd('2026-02')).toBe('2026-02-28');
    expect(monthProgress('2026-11', today)).toEqual({ elapsed: 26, days: 30 });
    expect(monthProgress('2026-10', today)).toEqual({ elapsed: 31, days: 31 });
    expect(monthProgress('2026-12', today)).toEqual({ elapsed: 0, days: 31 });
  });
});
