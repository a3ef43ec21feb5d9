import type { ReactNode } from 'react';
import { Badge, Group, Loader, Paper, Text, Title } from '@mantine/core';
import { QueryError } from '../../../ui/QueryError';

interface Props {
  title: string;
  count?: number;
  action?: ReactNode;
  children: ReactNode;
  /** Without the frame and title (inside a phone tab, whose label is the title). */
  bare?: boolean;
}

interface PanelBodyProps {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
}

/** A block of the client card: «Реквизиты», «Контакты», «Сделки», «Задачи», «Лента». */
export function Section({ title, count, action, children, bare = false }: Props) {
  if (bare) {
    return (
      <div>
        {action ? (
          <Group justify="flex-end" mb="sm">
            {action}
          </Group>
        ) : null}
        {children}
      </div>
    );
  }
  return (
    <Paper p="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" gap="xs" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <Title order={3} size="h4">
            {title}
          </Title>
          {count ? (
            <Badge variant="light" color="gray" size="sm" circle={count < 10}>
              {count}
            </Badge>
          ) : null}
        </Group>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

/** The body of a card block: a loader, the error with «Повторить», the empty text, or the content. */
export function PanelBody({ query, isEmpty, empty, children }: PanelBodyProps) {
  if (query.isPending) return <Loader size="sm" />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty)
    return (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
  return <>{children}</>;
}
