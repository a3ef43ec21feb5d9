import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTimeRu } from '../../../../common/dates';
import { QueryError } from '../../ui/QueryError';
import { useDealTasks } from './api';

/** Tasks of the deal (GET /tasks?dealId): open first, overdue in red. */
export function DealTasks({ dealId }: { dealId: string }) {
  const { t } = useTranslation();
  const tasks = useDealTasks(dealId);
  if (tasks.isError) return <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />;
  if (tasks.isPending)
    return (
      <Text c="dimmed" size="sm">
        {t('app.loading')}
      </Text>
    );
  if (tasks.data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('deals.tasks.empty')}
      </Text>
    );
  const sorted = [...tasks.data].sort((a, b) => (a.status === b.status ? a.dueAt.localeCompare(b.dueAt) : a.status === 'open' ? -1 : 1));
  return (
    <Stack gap="sm" data-testid="deal-tasks">
      {sorted.map((task) => (
        <Group key={task.id} gap="xs" wrap="nowrap" align="flex-start">
          {task.status === 'done' ? (
            <IconCircleCheck size={18} color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
          ) : (
            <IconCircleDashed
              size={18}
              color={task.overdue ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-gray-6)'}
              style={{ flexShrink: 0, marginTop: 2 }}
            />
          )}
          <div style={{ minWidth: 0 }}>
            <Anchor
              component={Link}
              to={`/tasks?open=${task.id}`}
              size="sm"
              c={task.status === 'done' ? 'dimmed' : undefined}
              td={task.status === 'done' ? 'line-through' : undefined}
            >
              {task.title}
            </Anchor>
            <Group gap={6}>
              <Text size="xs" c={task.overdue ? 'red.7' : 'dimmed'} className="tabular-nums">
                {t(`deals.tasks.types.${task.type}`)} · {formatDateTimeRu(task.dueAt)}
              </Text>
              {task.overdue ? (
                <Badge size="xs" color="red" variant="light">
                  {t('deals.tasks.overdue')}
                </Badge>
              ) : null}
            </Group>
          </div>
        </Group>
      ))}
    </Stack>
  );
}
