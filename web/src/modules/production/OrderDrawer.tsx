import { useEffect, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Drawer,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowBackUp, IconCheck, IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useCurrentUser } from '../../auth/useAuth';
import { QueryError } from '../../ui/QueryError';
import type { ProductionOrder } from '../../../../common/api/production';
import { formatDateRu, formatDateTimeRu } from '../../../../common/dates';
import { useOrder, useProductionUsers } from './api';
import { formatQuantity, isOverdue } from './format';
import { useOrderActions } from './useOrderActions';
import { useAccess } from '../../auth/permissions';

export const STATUS_COLOR: Record<ProductionOrder['status'], string> = { queued: 'gray', in_progress: 'orange', done: 'green' };

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function OrderDetails({ order }: { order: ProductionOrder }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const access = useAccess();
  const write = access.can('production_order', 'write');
  const links = access.can('deal');
  const actions = useOrderActions();
  const workers = useProductionUsers(write);
  const [comment, setComment] = useState(order.comment ?? '');
  // Another save (or a live update) brought a new comment: show it unless the user is typing.
  useEffect(() => setComment(order.comment ?? ''), [order.comment]);
  const overdue = isOverdue(order);
  const workerOptions = (workers.data ?? []).map((u) => ({
    value: u.id,
    label: u.id === me.id ? `${u.name} (${t('production.me')})` : u.name,
  }));
  if (order.assigneeId && !workerOptions.some((o) => o.value === order.assigneeId))
    workerOptions.unshift({ value: order.assigneeId, label: order.assigneeName ?? '…' });

  return (
    <Stack gap="md" data-testid="order-drawer">
      <Group gap="xs">
        <Badge color={STATUS_COLOR[order.status]} variant="light" size="lg" data-testid="order-status">
          {t(`production.status.${order.status}`)}
        </Badge>
        {overdue ? (
          <Badge color="red" variant="filled">
            {t('production.overdue')}
          </Badge>
        ) : null}
      </Group>

      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Field label={t('production.deal')}>
          {links ? (
            <Anchor component={Link} to={`/deals/${encodeURIComponent(order.dealId)}`}>
              {order.dealTitle}
            </Anchor>
          ) : (
            order.dealTitle
          )}
        </Field>
        <Field label={t('production.client')}>
          {links ? (
            <Anchor component={Link} to={`/clients/${encodeURIComponent(order.clientId)}`}>
              {order.clientName}
            </Anchor>
          ) : (
            order.clientName
          )}
        </Field>
        <Field label={t('production.manager')}>{order.ownerName ?? '—'}</Field>
        {!write ? (
          <>
            <Field label={t('production.assignee')}>{order.assigneeName ?? t('production.noAssignee')}</Field>
            <Field label={t('production.due')}>{order.dueDate ? formatDateRu(order.dueDate) : t('production.noDue')}</Field>
          </>
        ) : null}
      </SimpleGrid>

      {write ? (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Select
            label={t('production.assignee')}
            placeholder={t('production.noAssignee')}
            data={workerOptions}
            value={order.assigneeId}
            clearable
            disabled={actions.pending}
            nothingFoundMessage={t('production.pickAssignee')}
            onChange={(value) => actions.save({ id: order.id, assigneeId: value, version: order.version })}
          />
          <DateInput
            label={t('production.due')}
            placeholder={t('production.noDue')}
            valueFormat="DD.MM.YYYY"
            clearable
            value={order.dueDate}
            disabled={actions.pending}
            error={overdue ? t('production.overdue') : undefined}
            onChange={(value) => {
              const date = value ? String(value).slice(0, 10) : null;
              if (date !== order.dueDate) actions.save({ id: order.id, dueDate: date, version: order.version });
            }}
          />
        </SimpleGrid>
      ) : null}

      <div>
        <Text fw={600} mb={6}>
          {t('production.items')}
        </Text>
        {order.items.length === 0 ? (
          <Text size="sm" c="orange.8">
            {t('production.noItems')}
          </Text>
        ) : (
          <Table withTableBorder striped verticalSpacing={6} data-testid="order-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('production.name')}</Table.Th>
                <Table.Th style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{t('production.qty')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.items.map((item, index) => (
                <Table.Tr key={index}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{item.name}</Table.Td>
                  <Table.Td className="tabular-nums" style={{ textAlign: 'right', whiteSpace: 'nowrap', fontWeight: 600 }}>
                    {formatQuantity(item)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>

      {write ? (
        <div>
          <Textarea
            label={t('production.comment')}
            placeholder={t('production.commentPlaceholder')}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={5000}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
          />
          {comment.trim() !== (order.comment ?? '') ? (
            <Group justify="flex-end" mt="xs">
              <Button
                size="xs"
                variant="light"
                loading={actions.pending}
                onClick={() => actions.save({ id: order.id, comment: comment.trim() || null, version: order.version })}
              >
                {t('production.saveComment')}
              </Button>
            </Group>
          ) : null}
        </div>
      ) : (
        <Field label={t('production.comment')}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{order.comment ?? '—'}</span>
        </Field>
      )}

      <Divider />
      <SimpleGrid cols={3} spacing="xs">
        <Field label={t('production.created')}>{formatDateTimeRu(order.createdAt)}</Field>
        <Field label={t('production.started')}>{order.startedAt ? formatDateTimeRu(order.startedAt) : '—'}</Field>
        <Field label={t('production.doneAt')}>{order.doneAt ? formatDateTimeRu(order.doneAt) : '—'}</Field>
      </SimpleGrid>

      {write ? (
        <Group gap="sm" justify="flex-end" wrap="wrap">
          {access.has('production_order.step_back') && order.status !== 'queued' ? (
            <Button variant="subtle" color="gray" leftSection={<IconArrowBackUp size={16} />} onClick={() => actions.stepBack(order)}>
              {t('production.back')}
            </Button>
          ) : null}
          {order.status === 'queued' ? (
            <Button leftSection={<IconPlayerPlay size={16} />} loading={actions.pending} onClick={() => actions.take(order)}>
              {t('production.take')}
            </Button>
          ) : order.status === 'in_progress' ? (
            <Button color="green" leftSection={<IconCheck size={16} />} loading={actions.pending} onClick={() => actions.finish(order)}>
              {t('production.finish')}
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}

/** The order's details on the side (full screen on phones): items, comment, assignee, due date, the status buttons. */
export function OrderDrawer({ orderId, onClose }: { orderId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const order = useOrder(orderId);
  return (
    <Drawer
      opened={Boolean(orderId)}
      onClose={onClose}
      position="right"
      size={phone ? '100%' : 'lg'}
      title={
        <Text fw={700} size="lg">
          {order.data ? t('production.drawerTitle', { number: order.data.number }) : t('production.title')}
        </Text>
      }
    >
      {!orderId ? null : order.isPending ? (
        <Loader size="sm" />
      ) : order.isError ? (
        isApiError(order.error, 404) ? (
          <Alert color="gray">{t('production.notFound')}</Alert>
        ) : (
          <QueryError error={order.error} onRetry={() => void order.refetch()} />
        )
      ) : (
        <OrderDetails order={order.data} />
      )}
    </Drawer>
  );
}
