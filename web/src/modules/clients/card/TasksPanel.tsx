import { useState } from 'react';
import { Anchor, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconAlarm, IconPlus } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { applyApiErrorToForm } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useClientTasks, useCreateTask, type TaskType } from '../api';
import { formatDateTime } from '../format';
import { PanelBody, Section } from './Section';

const TASK_TYPES: TaskType[] = ['call', 'meeting', 'email', 'control', 'other'];

interface TaskValues {
  title: string;
  type: TaskType;
  /** `YYYY-MM-DD HH:mm:ss` in the browser's zone (Mantine dates). */
  dueAt: string | null;
}

/** Tomorrow 10:00: a sensible default for «перезвонить». */
function defaultDue(): string {
  return dayjs().add(1, 'day').hour(10).minute(0).second(0).format('YYYY-MM-DD HH:mm:ss');
}

function QuickTaskForm({ clientId, onClose }: { clientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateTask(clientId);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<TaskValues>({
    initialValues: { title: '', type: 'call', dueAt: defaultDue() },
    validate: {
      title: (value) => (value.trim() ? null : t('clients.tasks.titleRequired')),
      dueAt: (value) => (value ? null : t('clients.tasks.dueRequired')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await create.mutateAsync({
        title: values.title.trim(),
        type: values.type,
        // with the offset of the user's clock: «завтра 10:00» is 10:00 where the manager is
        dueAt: dayjs(values.dueAt).format('YYYY-MM-DDTHH:mm:ssZ'),
        clientId,
      });
      notifySuccess(t('clients.tasks.created'));
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput
          label={t('clients.tasks.title')}
          placeholder={t('clients.tasks.titlePlaceholder')}
          withAsterisk
          data-autofocus
          {...form.getInputProps('title')}
        />
        <Group grow align="flex-start" gap="sm" wrap="wrap">
          <Select
            label={t('clients.tasks.type')}
            data={TASK_TYPES.map((type) => ({ value: type, label: t(`clients.tasks.types.${type}`) }))}
            {...form.getInputProps('type')}
            style={{ minWidth: 150 }}
          />
          <DateTimePicker
            label={t('clients.tasks.due')}
            placeholder={t('clients.tasks.duePlaceholder')}
            valueFormat="DD.MM.YYYY HH:mm"
            withAsterisk
            dropdownType="modal"
            style={{ minWidth: 190 }}
            {...form.getInputProps('dueAt')}
          />
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Задачи»: the client's open tasks, overdue in red, with «Новая задача». */
export function TasksPanel({ clientId, canEdit, bare }: { clientId: string; canEdit: boolean; bare?: boolean }) {
  const { t } = useTranslation();
  const tasks = useClientTasks(clientId);
  const [opened, setOpened] = useState(false);
  const items = tasks.data?.items ?? [];

  return (
    <Section
      title={t('clients.card.tasks')}
      count={items.length}
      bare={bare}
      action={
        canEdit ? (
          <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => setOpened(true)}>
            {t('clients.tasks.add')}
          </Button>
        ) : null
      }
    >
      <PanelBody query={tasks} isEmpty={items.length === 0} empty={t('clients.tasks.empty')}>
        <Stack gap="xs">
          {items.map((task) => (
            <Group key={task.id} justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/tasks?open=${encodeURIComponent(task.id)}`} size="sm" fw={500}>
                  {task.title}
                </Anchor>
                <Group gap={6} mt={2}>
                  <Badge size="xs" variant="light" color="gray">
                    {t(`clients.tasks.types.${task.type}`)}
                  </Badge>
                  {task.overdue ? (
                    <Badge size="xs" color="red" variant="light" leftSection={<IconAlarm size={11} />}>
                      {t('clients.tasks.overdue')}
                    </Badge>
                  ) : null}
                </Group>
              </div>
              <Text size="sm" c={task.overdue ? 'red' : undefined} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(task.dueAt)}
              </Text>
            </Group>
          ))}
        </Stack>
      </PanelBody>
      <ResponsiveModal opened={opened} onClose={() => setOpened(false)} title={t('clients.tasks.addTitle')}>
        {opened ? <QuickTaskForm clientId={clientId} onClose={() => setOpened(false)} /> : null}
      </ResponsiveModal>
    </Section>
  );
}
