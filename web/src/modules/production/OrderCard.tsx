import { Badge, Button, Group, Text } from '@mantine/core';
import { IconCalendar, IconCheck, IconPlayerPlay, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ProductionOrder } from '../../../../common/api/production';
import { formatDateRu } from '../../../../common/dates';
import { formatQuantity, isOverdue } from './format';
import classes from './production.module.css';

const SHOWN_ITEMS = 4;

interface Props {
  order: ProductionOrder;
  canWrite: boolean;
  busy: boolean;
  onOpen: () => void;
  onTake: () => void;
  onFinish: () => void;
}

/** An order on the board: number, deal, client, what to make, due date, assignee, the next step's button. */
export function OrderCard({ order, canWrite, busy, onOpen, onTake, onFinish }: Props) {
  const { t } = useTranslation();
  const overdue = isOverdue(order);
  const rest = order.items.length - SHOWN_ITEMS;
  return (
    <article
      className={[classes.card, overdue && classes.cardOverdue].filter(Boolean).join(' ')}
      data-testid="order-card"
      data-order-id={order.id}
      data-status={order.status}
      tabIndex={0}
      aria-label={t('production.order', { number: order.number })}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && event.target === event.currentTarget) onOpen();
      }}
    >
      <Group justify="space-between" gap={6} wrap="nowrap">
        <Text size="sm" fw={700} className="tabular-nums">
          № {order.number}
        </Text>
        {order.status === 'done' && order.doneAt ? (
          <Badge size="sm" variant="light" color="green" leftSection={<IconCheck size={12} />} title={t('production.doneAt')}>
            {formatDateRu(order.doneAt)}
          </Badge>
        ) : order.dueDate ? (
          <Badge
            size="sm"
            variant={overdue ? 'filled' : 'light'}
            color={overdue ? 'red' : 'blue'}
            leftSection={<IconCalendar size={12} />}
            title={overdue ? t('production.overdue') : t('production.due')}
          >
            {formatDateRu(order.dueDate)}
          </Badge>
        ) : null}
      </Group>
      <Text fw={600} size="sm" mt={4} style={{ overflowWrap: 'anywhere' }}>
        {order.dealTitle}
      </Text>
      <Text size="xs" c="dimmed" truncate>
        {order.clientName}
      </Text>
      {order.items.length > 0 ? (
        <ul className={classes.items}>
          {order.items.slice(0, SHOWN_ITEMS).map((item, index) => (
            <li key={index}>
              <span className={classes.itemName}>{item.name}</span>
              <span className={classes.itemQty}>{formatQuantity(item)}</span>
            </li>
          ))}
          {rest > 0 ? (
            <li>
              <Text size="xs" c="dimmed">
                {t('production.more', { count: rest })}
              </Text>
            </li>
          ) : null}
        </ul>
      ) : (
        <Text size="xs" c="orange.8" mt={6}>
          {t('production.noItems')}
        </Text>
      )}
      <Group gap={4} mt={8} wrap="nowrap">
        <IconUser size={13} stroke={1.6} color="var(--mantine-color-gray-6)" style={{ flexShrink: 0 }} />
        <Text size="xs" c={order.assigneeName ? undefined : 'dimmed'} truncate>
          {order.assigneeName ?? t('production.noAssignee')}
        </Text>
      </Group>
      {canWrite && order.status !== 'done' ? (
        <Button
          mt={10}
          size="xs"
          fullWidth
          variant={order.status === 'queued' ? 'light' : 'filled'}
          color={order.status === 'queued' ? 'brand' : 'green'}
          leftSection={order.status === 'queued' ? <IconPlayerPlay size={14} /> : <IconCheck size={14} />}
          loading={busy}
          onClick={(event) => {
            event.stopPropagation();
            if (order.status === 'queued') onTake();
            else onFinish();
          }}
        >
          {order.status === 'queued' ? t('production.take') : t('production.finish')}
        </Button>
      ) : null}
    </article>
  );
}
