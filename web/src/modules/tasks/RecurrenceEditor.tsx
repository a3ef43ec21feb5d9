import { Chip, Group, Input, NumberInput, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconRepeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import {
  EMPTY_RECURRENCE,
  WEEKDAYS,
  describeRecurrence,
  weekdayOfDate,
  type RecurrenceEnd,
  type RecurrenceFreq,
  type RecurrenceState,
  type Weekday,
} from './recurrence';

/** Problems of an editor state that the server would refuse or a person would not mean; keys are i18n keys. */
export function recurrenceErrors(state: RecurrenceState, dueDate: string | null): Partial<Record<'weekdays' | 'until', string>> {
  const errors: Partial<Record<'weekdays' | 'until', string>> = {};
  if (state.freq === 'weekly' && state.weekdays.length === 0) errors.weekdays = 'tasks.recurrence.daysRequired';
  if (state.freq !== 'none' && state.freq !== 'custom' && state.end === 'until') {
    if (!state.until) errors.until = 'tasks.recurrence.untilRequired';
    else if (dueDate && state.until < dueDate) errors.until = 'tasks.recurrence.untilBeforeDue';
  }
  return errors;
}

interface RecurrenceEditorProps {
  value: RecurrenceState;
  onChange: (value: RecurrenceState) => void;
  /** 'YYYY-MM-DD' of the due date: defaults for the weekday and the day of month. */
  dueDate: string | null;
  /** Show validation messages (after the first submit). */
  showErrors?: boolean;
  /** The server's message for `recurrence`. */
  error?: string | null;
}

/**
 * The friendly RRULE editor: «Не повторять / Каждый день / Каждую неделю по дням / Каждый месяц», «каждые N»,
 * the end (никогда / после N раз / до даты) and a sentence preview («Каждую неделю по пятницам»).
 */
export function RecurrenceEditor({ value, onChange, dueDate, showErrors, error }: RecurrenceEditorProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const set = (patch: Partial<RecurrenceState>) => onChange({ ...value, ...patch });
  const errors = showErrors ? recurrenceErrors(value, dueDate) : {};

  const changeFreq = (freq: RecurrenceFreq) => {
    if (freq === value.freq) return;
    if (freq === 'none') return onChange({ ...EMPTY_RECURRENCE });
    const next: RecurrenceState = { ...value, freq, raw: null, interval: value.freq === 'custom' ? 1 : value.interval };
    if (freq === 'weekly' && next.weekdays.length === 0 && dueDate) next.weekdays = [weekdayOfDate(dueDate)];
    if (freq === 'monthly' && (next.monthDay === 0 || value.freq !== 'monthly')) next.monthDay = dueDate ? Number(dueDate.slice(8, 10)) : 1;
    onChange(next);
  };

  const freqOptions = [
    { value: 'none', label: t('tasks.recurrence.none') },
    { value: 'daily', label: t('tasks.recurrence.daily') },
    { value: 'weekly', label: t('tasks.recurrence.weekly') },
    { value: 'monthly', label: t('tasks.recurrence.monthly') },
    ...(value.freq === 'custom' ? [{ value: 'custom', label: t('tasks.recurrence.custom') }] : []),
  ];

  const monthDayOptions = [
    ...(value.monthDay === 0 ? [{ value: '0', label: t('tasks.recurrence.dueDay') }] : []),
    ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
    { value: '-1', label: t('tasks.recurrence.lastDay') },
  ];

  const preview = describeRecurrence(value, { lang });
  const firstDueOff = value.freq === 'weekly' && dueDate && value.weekdays.length > 0 && !value.weekdays.includes(weekdayOfDate(dueDate));
  const simple = value.freq === 'daily' || value.freq === 'weekly' || value.freq === 'monthly';

  return (
    <Stack gap="xs">
      <Select
        label={t('tasks.recurrence.label')}
        data={freqOptions}
        value={value.freq}
        onChange={(v) => changeFreq((v ?? 'none') as RecurrenceFreq)}
        allowDeselect={false}
        leftSection={<IconRepeat size={16} />}
        error={error ?? undefined}
        comboboxProps={{ withinPortal: true }}
      />
      {value.freq === 'custom' ? (
        <Text size="xs" c="dimmed">
          <Text span ff="monospace" size="xs">
            {value.raw}
          </Text>
          {' — '}
          {t('tasks.recurrence.customHint')}
        </Text>
      ) : null}

      {simple ? (
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-gray-0)">
          <Stack gap="sm">
            <Group gap="xs" align="center" wrap="nowrap">
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {t('tasks.recurrence.every')}
              </Text>
              <NumberInput
                aria-label={t('tasks.recurrence.every')}
                value={value.interval}
                onChange={(v) => set({ interval: typeof v === 'number' && v >= 1 ? Math.min(1000, Math.floor(v)) : 1 })}
                min={1}
                max={1000}
                w={80}
                size="xs"
                allowDecimal={false}
                allowNegative={false}
              />
              <Text size="sm">{t(`tasks.recurrence.units.${value.freq}`)}</Text>
            </Group>

            {value.freq === 'weekly' ? (
              <Input.Wrapper label={t('tasks.weekdaysLabel')} error={errors.weekdays ? t(errors.weekdays) : undefined}>
                <Chip.Group multiple value={value.weekdays} onChange={(days) => set({ weekdays: days as Weekday[] })}>
                  <Group gap={6} mt={4}>
                    {WEEKDAYS.map((day) => (
                      <Chip key={day} value={day} size="sm" radius="sm" variant="outline">
                        {t(`tasks.weekdays.${day}`)}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
              </Input.Wrapper>
            ) : null}

            {value.freq === 'monthly' ? (
              <Select
                label={t('tasks.recurrence.monthDay')}
                data={monthDayOptions}
                value={String(value.monthDay)}
                onChange={(v) => set({ monthDay: Number(v ?? 1) })}
                allowDeselect={false}
                w={220}
                size="sm"
                comboboxProps={{ withinPortal: true }}
              />
            ) : null}

            <Input.Wrapper label={t('tasks.recurrence.end')}>
              <Stack gap="xs" mt={4}>
                <SegmentedControl
                  size="xs"
                  value={value.end}
                  onChange={(v) => set({ end: v as RecurrenceEnd })}
                  data={[
                    { value: 'never', label: t('tasks.recurrence.endNever') },
                    { value: 'count', label: t('tasks.recurrence.endCount') },
                    { value: 'until', label: t('tasks.recurrence.endUntil') },
                  ]}
                  style={{ alignSelf: 'flex-start' }}
                />
                {value.end === 'count' ? (
                  <NumberInput
                    label={t('tasks.recurrence.count')}
                    value={value.count}
                    onChange={(v) => set({ count: typeof v === 'number' && v >= 1 ? Math.min(10000, Math.floor(v)) : 1 })}
                    min={1}
                    max={10000}
                    w={160}
                    size="sm"
                    allowDecimal={false}
                    allowNegative={false}
                  />
                ) : null}
                {value.end === 'until' ? (
                  <DatePickerInput
                    label={t('tasks.recurrence.until')}
                    value={value.until}
                    onChange={(v) => set({ until: v })}
                    valueFormat="DD.MM.YYYY"
                    minDate={dueDate ?? undefined}
                    w={200}
                    size="sm"
                    error={errors.until ? t(errors.until) : undefined}
                    popoverProps={{ withinPortal: true }}
                  />
                ) : null}
              </Stack>
            </Input.Wrapper>
          </Stack>
        </Paper>
      ) : null}

      {preview ? (
        <Group gap={6} wrap="nowrap" align="flex-start" data-testid="recurrence-preview">
          <IconRepeat size={16} color="var(--mantine-primary-color-filled)" style={{ flexShrink: 0, marginTop: 2 }} />
          <div>
            <Text size="sm" fw={600}>
              {preview}
            </Text>
            {firstDueOff && dueDate ? (
              <Text size="xs" c="dimmed">
                {t('tasks.recurrence.firstDueHint', { date: `${dueDate.slice(8, 10)}.${dueDate.slice(5, 7)}` })}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                {t('tasks.recurrence.afterDone')}
              </Text>
            )}
          </div>
        </Group>
      ) : null}
    </Stack>
  );
}
