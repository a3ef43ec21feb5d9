import type { ReactNode } from 'react';
import { Badge, Group, Paper, Title } from '@mantine/core';

interface Props {
  title: string;
  count?: number;
  action?: ReactNode;
  children: ReactNode;
  /** Without the frame and title (inside a phone tab, whose label is the title). */
  bare?: boolean;
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
