import './i18n';
import { useMemo, useState } from 'react';
import { Badge, Button, Chip, Group, Loader, SegmentedControl, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { useCurrentUser } from '../../auth/useAuth';
import { PageHeader } from '../../ui/PageHeader';
import { QueryError } from '../../ui/QueryError';
import type { ProductionOrder, ProductionStatus } from '../../../../common/api/production';
import { PRODUCTION_KEY, useDoneOrders, useOpenOrders, type BoardFilters } from './api';
import { byDueThenNumber } from './format';
import { OrderCard } from './OrderCard';
import { OrderDrawer } from './OrderDrawer';
import { useOrderActions } from './useOrderActions';
import classes from './production.module.css';
import { useAccess } from '../../auth/permissions';

const STATUSES: ProductionStatus[] = ['queued', 'in_progress', 'done'];
const ACCENT: Record<ProductionStatus, string> = {
  queued: 'var(--mantine-color-gray-5)',
  in_progress: 'var(--mantine-color-orange-6)',
  done: 'var(--mantine-color-green-6)',
};

interface ColumnProps {
  status: ProductionStatus;
  orders: ProductionOrder[] | undefined;
  count: number | undefined;
  error: unknown;
  onRetry: () => void;
  canWrite: boolean;
  onOpen: (order: ProductionOrder) => void;
  footer?: React.ReactNode;
  /** On phones the switch above names the column. */
  hideHeader?: boolean;
}

function Column({ status, orders, count, error, onRetry, canWrite, onOpen, footer, hideHeader }: ColumnProps) {
  const { t } = useTranslation();
  const actions = useOrderActions();
  return (
    <section
      className={classes.column}
      style={{ '--column-accent': ACCENT[status] } as React.CSSProperties}
      data-testid="production-column"
      data-status={status}
      aria-label={t(`production.columns.${status}`)}
    >
      {hideHeader ? (
        <div className={classes.columnHeader} style={{ padding: 0, height: 8 }} />
      ) : (
        <Group className={classes.columnHeader} justify="space-between" gap="xs" wrap="nowrap">
          <Text fw={700}>{t(`production.columns.${status}`)}</Text>
          <Badge variant="white" color="gray" data-testid="column-count">
            {count ?? '…'}
          </Badge>
        </Group>
      )}
      <div className={classes.columnBody}>
        {error ? (
          <QueryError error={error} onRetry={onRetry} />
        ) : !orders ? (
          <Loader size="sm" m="sm" />
        ) : orders.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            {t(`production.empty.${status}`)}
          </Text>
        ) : (
          orders.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              canWrite={canWrite}
              busy={actions.pendingId === order.id}
              onOpen={() => onOpen(order)}
              onTake={() => actions.take(order)}
              onFinish={() => actions.finish(order)}
            />
          ))
        )}
        {footer}
      </div>
    </section>
  );
}

/** `/production`: the production board (Очередь / В работе / Готово) with the order drawer (`?open=<id>`). */
export default function ProductionPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const access = useAccess();
  const queryClient = useQueryClient();
  const canWrite = access.can('production_order', 'write');
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const [mobileStatus, setMobileStatus] = useState<ProductionStatus>('queued');
  const mine = params.get('mine') === '1' && me.role === 'production';
  const filters: BoardFilters = useMemo(() => (mine ? { assigneeId: me.id } : {}), [mine, me.id]);

  const queued = useOpenOrders('queued', filters);
  const inProgress = useOpenOrders('in_progress', filters);
  const done = useDoneOrders(filters);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: PRODUCTION_KEY });
  // An order changed (any of the board's users), or a new one arrived (the notification to production and the owner).
  useLiveEvent('production_order.changed', refresh);
  useLiveEvent('notification.created', (data) => {
    if (data?.kind === 'production_order') refresh();
  });

  const openId = params.get('open');
  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: key !== 'open' },
    );

  const doneItems = done.data?.pages.flatMap((p) => p.items);
  const columns: Record<ProductionStatus, Omit<ColumnProps, 'status' | 'canWrite' | 'onOpen'>> = {
    queued: {
      orders: queued.data ? [...queued.data].sort(byDueThenNumber) : undefined,
      count: queued.data?.length,
      error: queued.error,
      onRetry: () => void queued.refetch(),
    },
    in_progress: {
      orders: inProgress.data ? [...inProgress.data].sort(byDueThenNumber) : undefined,
      count: inProgress.data?.length,
      error: inProgress.error,
      onRetry: () => void inProgress.refetch(),
    },
    done: {
      orders: doneItems,
      count: doneItems ? doneItems.length : undefined,
      error: done.error,
      onRetry: () => void done.refetch(),
      footer: done.hasNextPage ? (
        <Button variant="subtle" size="xs" loading={done.isFetchingNextPage} onClick={() => void done.fetchNextPage()}>
          {t('production.loadMore')}
        </Button>
      ) : null,
    },
  };
  const label = (status: ProductionStatus) => {
    const count = columns[status].count;
    const more = status === 'done' && done.hasNextPage ? '+' : '';
    return `${t(`production.columns.${status}`)}${count === undefined ? '' : ` · ${count}${more}`}`;
  };

  return (
    <>
      <PageHeader
        title={t('production.title')}
        description={t('production.description')}
        actions={
          canWrite ? (
            me.role === 'production' ? (
              <Chip checked={mine} onChange={(checked) => setParam('mine', checked ? '1' : null)}>
                {t('production.mine')}
              </Chip>
            ) : null
          ) : (
            <Badge variant="outline" color="gray">
              {t('production.readOnly')}
            </Badge>
          )
        }
      />
      {phone ? (
        <SegmentedControl
          fullWidth
          mb="sm"
          value={mobileStatus}
          onChange={(value) => setMobileStatus(value as ProductionStatus)}
          data={STATUSES.map((status) => ({ value: status, label: label(status) }))}
          data-testid="production-switch"
        />
      ) : null}
      <div className={classes.board} data-testid="production-board">
        {STATUSES.filter((status) => !phone || status === mobileStatus).map((status) => (
          <Column
            key={status}
            status={status}
            hideHeader={phone}
            canWrite={canWrite}
            onOpen={(order) => setParam('open', order.id)}
            {...columns[status]}
          />
        ))}
      </div>
      <OrderDrawer orderId={openId} onClose={() => setParam('open', null)} />
    </>
  );
}
