import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useCurrentUser } from '../../auth/useAuth';
import { notifyError, notifySuccess } from '../../ui/notify';
import { useDeleteTask, useReopenTask, type Task } from './api';
import { useAccess } from '../../auth/permissions';

/** Whether the signed-in user may delete the task (the author, a head, the owner or an admin — as the server checks). */
export function useCanDeleteTask() {
  const me = useCurrentUser();
  const access = useAccess();
  return (task: Task) => access.beyondOwn('task', 'write') || task.authorId === me.id;
}

/** «Удалить задачу?» with a confirmation; `after` runs once it is deleted. */
export function useConfirmDeleteTask() {
  const { t } = useTranslation();
  const remove = useDeleteTask();
  return (task: Task, after?: () => void) =>
    modals.openConfirmModal({
      title: t('tasks.deleteTitle'),
      children: <Text size="sm">{t('tasks.deleteText', { title: task.title })}</Text>,
      labels: { confirm: t('tasks.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red', 'data-testid': 'confirm-delete-task' } as never,
      onConfirm: async () => {
        try {
          await remove.mutateAsync(task.id);
          notifySuccess(t('tasks.deleted'));
          after?.();
        } catch (error) {
          notifyError(error);
        }
      },
    });
}

/** «Возобновить»: back to open. Returns the task, or null after showing the error (409 in words). */
export function useReopenAction() {
  const { t } = useTranslation();
  const reopen = useReopenTask();
  const run = async (task: Task): Promise<Task | null> => {
    try {
      const result = await reopen.mutateAsync({ id: task.id, version: task.version });
      notifySuccess(t('tasks.reopened'));
      return result;
    } catch (error) {
      if (isApiError(error, 409))
        notifications.show({ color: 'red', title: t('errors.title'), message: t('tasks.conflict'), autoClose: 8000 });
      else notifyError(error);
      return null;
    }
  };
  return { run, isPending: reopen.isPending };
}
