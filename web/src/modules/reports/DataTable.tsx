import type { ReactNode } from 'react';
import { Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface Column<R> {
  key: string;
  header: ReactNode;
  /** Numbers are right-aligned with tabular digits. */
  numeric?: boolean;
  render: (row: R) => ReactNode;
  /** The totals row's cell (omit: empty). */
  total?: ReactNode;
  width?: number | string;
}

interface Props<R> {
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R, index: number) => string;
  /** Show the «Итого» row (the first column gets «Итого» unless it has its own total). */
  totals?: boolean;
  totalLabel?: string;
  minWidth?: number;
  testId?: string;
  caption?: ReactNode;
}

/** A report table: scrolls sideways on phones, numbers on the right, an «Итого» row in bold. */
export function DataTable<R>({ columns, rows, rowKey, totals, totalLabel, minWidth = 560, testId, caption }: Props<R>) {
  const { t } = useTranslation();
  return (
    <Paper radius="md" style={{ overflow: 'hidden' }}>
      {caption ? (
        <Text fw={600} px="md" pt="sm">
          {caption}
        </Text>
      ) : null}
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid={testId} className="vr-table">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th
                  key={c.key}
                  style={{ textAlign: c.numeric ? 'right' : 'left', width: c.width, whiteSpace: c.numeric ? 'nowrap' : undefined }}
                >
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => (
              <Table.Tr key={rowKey(row, i)} data-testid={testId ? `${testId}-row` : undefined}>
                {columns.map((c) => (
                  <Table.Td
                    key={c.key}
                    style={c.numeric ? { textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } : undefined}
                  >
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
          {totals ? (
            <Table.Tfoot>
              <Table.Tr style={{ fontWeight: 700 }}>
                {columns.map((c, i) => (
                  <Table.Td
                    key={c.key}
                    style={c.numeric ? { textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } : undefined}
                  >
                    {c.total ?? (i === 0 ? (totalLabel ?? t('reports.total')) : null)}
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tfoot>
          ) : null}
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
