import { useState } from 'react';
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconRepeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { currentLanguage } from '../../i18n';
import { FormError } from '../../ui/FormError';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useCompleteTask, type CompletedTask, type Task } from './api';
import { describeRecurrence } from './recurrence';
import { formatDue } from './taskUi';

interface CompleteTaskModalProps {
  task: Task | null;
  onClose: () => void;
  onCompleted?: (result: CompletedTask) => void;
}

/** «Результат»: completes a task (POST /tasks/:id/complete); a recurring one reports the next occurrence. */
export function CompleteTaskModal({ task, onClose, onCompleted }: CompleteTaskModalProps) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={task !== null} onClose={onClose} title={t('tasks.completeTitle')} size="md">
      {task ? <CompleteForm key={task.id} task={task} onClose={onClose} onCompleted={onCompleted} /> : null}
    </ResponsiveModal>
  );
}

function CompleteForm({ task, onClose, onCompleted }: { task: Task; onClose: () => void; onCompleted?: (result: CompletedTask) => void }) {
  const { t } = useTranslation();
  const complete = useCompleteTask();
  const [result, setResult] = useState('');
  const [error, setError] = useState<string | null>(null);
  const repeat = task.recurrence ? describeRecurrence(task.recurrence, { lang: currentLanguage(), short: true }) : '';

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const done = await complete.mutateAsync({ id: task.id, result: result.trim() || null, version: task.version });
      if (done.next) {
        notifications.show({
          color: 'green',
          icon: <IconRepeat size={18} />,
          title: t('tasks.completed'),
          message: t('tasks.nextCreated', { date: formatDue(done.next.dueAt) }),
          autoClose: 8000,
        });
      } else {
        notifications.show({
          color: 'green',
          icon: <IconCheck size={18} />,
          message: task.recurrence ? `${t('tasks.completed')}. ${t('tasks.seriesEnded')}` : t('tasks.completed'),
          autoClose: 4000,
        });
      }
      onCompleted?.(done);
      onClose();
    } catch (cause) {
      setError(isApiError(cause, 409) ? t('tasks.conflict') : errorMessage(cause));
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={error} />
        <div>
          <Text size="sm" fw={600}>
            {task.title}
          </Text>
          <Text size="xs" c="dimmed">
            {t('tasks.due')}: {formatDue(task.dueAt)}
          </Text>
        </div>
        <Textarea
          label={t('tasks.result')}
          placeholder={t('tasks.resultPlaceholder')}
          value={result}
          onChange={(e) => setResult(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={8}
          maxLength={10000}
          data-autofocus
        />
        {repeat ? (
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconRepeat size={16} style={{ flexShrink: 0, marginTop: 2 }} color="var(--mantine-primary-color-filled)" />
            <Text size="xs" c="dimmed">
              {repeat[0].toUpperCase() + repeat.slice(1)}. {t('tasks.recurrence.nextOnComplete')}
            </Text>
          </Group>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="green" leftSection={<IconCheck size={16} />} loading={complete.isPending}>
            {t('tasks.complete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
