import { Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { StageHistoryEntry } from '../../../../common/api/deals';
import { formatDateTimeRu } from '../../../../common/dates';
import { formatDuration } from './format';
import classes from './deals.module.css';

/** Every stay of the deal in a stage, with the time spent there as a bar (longest = full width). */
export function StageHistory({ items }: { items: StageHistoryEntry[] }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  if (items.length === 0) return <Text c="dimmed">{t('deals.history.empty')}</Text>;
  const longest = Math.max(...items.map((item) => item.durationSeconds), 1);
  const bar = (item: StageHistoryEntry) => (
    <div
      className={[classes.bar, item.leftAt === null && classes.barCurrent].filter(Boolean).join(' ')}
      style={{ width: `${Math.max(2, (item.durationSeconds / longest) * 100)}%` }}
      aria-hidden
    />
  );

  if (phone) {
    return (
      <Stack gap="sm" data-testid="deal-history">
        {items.map((item) => (
          <div key={item.id}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={500}>
                {item.stageName}
              </Text>
              <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatDuration(item.durationSeconds)}
              </Text>
            </Group>
            {bar(item)}
            <Text size="xs" c="dimmed" mt={2}>
              {formatDateTimeRu(item.enteredAt)} — {item.leftAt ? formatDateTimeRu(item.leftAt) : t('deals.history.now')}
            </Text>
          </div>
        ))}
      </Stack>
    );
  }

  return (
    <Table data-testid="deal-history" highlightOnHover={false}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('deals.history.stage')}</Table.Th>
          <Table.Th>{t('deals.history.entered')}</Table.Th>
          <Table.Th>{t('deals.history.left')}</Table.Th>
          <Table.Th w="32%">{t('deals.history.duration')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td fw={item.leftAt === null ? 600 : undefined}>{item.stageName}</Table.Td>
            <Table.Td className="tabular-nums">{formatDateTimeRu(item.enteredAt)}</Table.Td>
            <Table.Td className="tabular-nums">{item.leftAt ? formatDateTimeRu(item.leftAt) : t('deals.history.now')}</Table.Td>
            <Table.Td>
              <Text size="sm" className="tabular-nums">
                {formatDuration(item.durationSeconds)}
              </Text>
              {bar(item)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
