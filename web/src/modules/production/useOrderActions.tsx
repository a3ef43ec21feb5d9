import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useCurrentUser } from '../../auth/useAuth';
import { notifyError, notifySuccess } from '../../ui/notify';
import { notifications } from '@mantine/notifications';
import type { ProductionOrder, ProductionStatus } from '../../../../common/api/production';
import { usePatchOrder, type PatchOrderVars } from './api';

/** The board's buttons: «Взять в работу», «Готово» (with a confirmation), the admin's step back. */
export function useOrderActions() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const patch = usePatchOrder();

  const onError = (error: unknown) => {
    if (isApiError(error, 409)) {
      notifications.show({ color: 'orange', title: error.message, message: t('production.conflict'), autoClose: 8000 });
    } else notifyError(error);
  };

  const run = (vars: PatchOrderVars, done: (order: ProductionOrder) => string) =>
    patch.mutate(vars, { onSuccess: (order) => notifySuccess(done(order)), onError });

  const take = (order: ProductionOrder) =>
    run(
      {
        id: order.id,
        status: 'in_progress',
        version: order.version,
        // A worker who takes an unassigned order becomes its assignee.
        ...(me.role === 'production' && !order.assigneeId ? { assigneeId: me.id } : {}),
      },
      (o) => t('production.taken', { number: o.number }),
    );

  const finish = (order: ProductionOrder) =>
    modals.openConfirmModal({
      title: t('production.confirmDone.title', { number: order.number }),
      children: <Text size="sm">{t('production.confirmDone.text', { deal: order.dealTitle })}</Text>,
      labels: { confirm: t('production.confirmDone.confirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'green', 'data-testid': 'confirm-done' } as Record<string, unknown>,
      onConfirm: () => run({ id: order.id, status: 'done', version: order.version }, (o) => t('production.finished', { number: o.number })),
    });

  const stepBack = (order: ProductionOrder) => {
    const to: ProductionStatus = order.status === 'done' ? 'in_progress' : 'queued';
    run({ id: order.id, status: to, version: order.version }, (o) =>
      t('production.steppedBack', { number: o.number, status: t(`production.status.${o.status}`) }),
    );
  };

  const save = (vars: PatchOrderVars, onSaved?: (order: ProductionOrder) => void) =>
    patch.mutate(vars, {
      onSuccess: (order) => {
        notifySuccess(t('production.saved', { number: order.number }));
        onSaved?.(order);
      },
      onError,
    });

  return { take, finish, stepBack, save, pending: patch.isPending, pendingId: patch.isPending ? patch.variables?.id : undefined };
}
