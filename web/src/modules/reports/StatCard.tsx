import type { ReactNode } from 'react';
import { Paper, Text } from '@mantine/core';

/** A key figure above a report: label, big value, a small hint line. */
export function StatCard({
  label,
  value,
  hint,
  color,
  wrap,
}: {
  label: ReactNode;
  value: ReactNode;
  hint?: ReactNode;
  color?: string;
  wrap?: boolean;
}) {
  return (
    <Paper p="sm" radius="md" style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" lineClamp={2}>
        {label}
      </Text>
      <Text
        fw={700}
        fz={wrap ? { base: 'sm', sm: 'md' } : { base: 'lg', sm: 'xl' }}
        c={color}
        style={
          wrap
            ? { fontVariantNumeric: 'tabular-nums' }
            : { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }
        }
      >
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}
