import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlarm, IconCheck, IconRefresh, IconRotate, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { applyApiErrorToForm } from '../../api/forms';
import { useCurrentUser } from '../../auth/useAuth';
import { FormError } from '../../ui/FormError';
import { notifyError, notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useCreateTask, useTaskUsers, useUpdateTask, type Task, type TaskBody, type TaskPatch, type TaskType } from './api';
import { useCanDeleteTask, useConfirmDeleteTask, useReopenAction } from './actions';
import { CompleteTaskModal } from './CompleteTaskModal';
import { ClientPicker, DealPicker } from './EntityPickers';
import { RecurrenceEditor, recurrenceErrors } from './RecurrenceEditor';
import { fromRrule, toRrule, type RecurrenceState } from './recurrence';
import { COMPANY_TZ, defaultDueValue, fromPickerValue, pickerDate, toPickerValue } from './time';
import { TASK_TYPES, TYPE_ICONS, formatDue, reminderText } from './taskUi';
import './i18n';
import { useAccess } from '../../auth/permissions';

export interface TaskDefaults {
  title?: string;
  type?: TaskType;
  clientId?: string | null;
  dealId?: string | null;
  assigneeId?: string;
  /** ISO instant. */
  dueAt?: string;
}

export interface TaskFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The task to open (view, edit, complete, reopen, delete); without it the modal creates a new task. */
  task?: Task | null;
  /** Presets of a new task, e.g. `{clientId}` on a client card or `{dealId, clientId}` on a deal. */
  defaults?: TaskDefaults;
  onSaved?: (task: Task) => void;
}

const REMIND_CHOICES = ['none', '15', '60', '1440'];

interface FormValues {
  title: string;
  type: TaskType;
  /** Wall clock of the company zone, 'YYYY-MM-DD HH:mm:ss' (Mantine dates). */
  dueAt: string | null;
  assigneeId: string | null;
  clientId: string | null;
  dealId: string | null;
  description: string;
  /** 'none' | minutes | 'keep' (a reminder this form has no choice for: left as it is). */
  remindBeforeMinutes: string;
  recurrence: RecurrenceState;
}

function initialValues(task: Task | null | undefined, defaults: TaskDefaults | undefined, meId: string): FormValues {
  if (task) {
    const before = task.remindBeforeMinutes;
    const remind = before === null ? (task.remindAt ? 'keep' : 'none') : REMIND_CHOICES.includes(String(before)) ? String(before) : 'keep';
    return {
      title: task.title,
      type: task.type,
      dueAt: toPickerValue(task.dueAt),
      assigneeId: task.assigneeId,
      clientId: task.clientId,
      dealId: task.dealId,
      description: task.description ?? '',
      remindBeforeMinutes: remind,
      recurrence: fromRrule(task.recurrence),
    };
  }
  return {
    title: defaults?.title ?? '',
    type: defaults?.type ?? 'call',
    dueAt: defaults?.dueAt ? toPickerValue(defaults.dueAt) : defaultDueValue(),
    assigneeId: defaults?.assigneeId ?? meId,
    clientId: defaults?.clientId ?? null,
    dealId: defaults?.dealId ?? null,
    description: '',
    remindBeforeMinutes: '15',
    recurrence: fromRrule(null),
  };
}

/** The browser's clock is not Moscow's: say that the times are Moscow time. */
const browserInOtherZone = (() => {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone !== COMPANY_TZ && new Date().getTimezoneOffset() !== -180;
  } catch {
    return false;
  }
})();

/**
 * «Новая задача» / «Задача»: creates a task, or opens one to edit, complete, reopen or delete.
 * Reusable on client and deal cards: `<TaskFormModal opened onClose defaults={{ clientId }} />`.
 */
export function TaskFormModal({ opened, onClose, task, defaults, onSaved }: TaskFormModalProps) {
  const { t } = useTranslation();
  // The task shown: taken from the props when the modal opens (or opens another task), then kept, so a
  // live refresh of the list does not wipe what the user is typing; «Загрузить актуальную версию» replaces it.
  const [current, setCurrent] = useState<Task | null>(task ?? null);
  const openKey = opened ? (task?.id ?? 'new') : null;
  const [seenKey, setSeenKey] = useState(openKey);
  if (seenKey !== openKey) {
    setSeenKey(openKey);
    setCurrent(task ?? null);
  }
  const isEdit = Boolean(current);
  const title = isEdit ? (
    <Group gap="xs">
      <span>{t('tasks.editTitle')}</span>
      {current?.status === 'done' ? (
        <Badge color="green" variant="light">
          {t('tasks.done')}
        </Badge>
      ) : current?.overdue ? (
        <Badge color="red" variant="light">
          {t('tasks.overdueBadge')}
        </Badge>
      ) : null}
    </Group>
  ) : (
    t('tasks.newTitle')
  );

  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={title} size="lg" data-testid="task-modal">
      {opened ? (
        <TaskForm
          key={current ? `${current.id}:${current.version}` : 'new'}
          task={current}
          defaults={defaults}
          onClose={onClose}
          onSaved={onSaved}
          onReload={setCurrent}
        />
      ) : null}
    </ResponsiveModal>
  );
}

interface TaskFormProps {
  task: Task | null;
  defaults?: TaskDefaults;
  onClose: () => void;
  onSaved?: (task: Task) => void;
  onReload: (task: Task) => void;
}

function TaskForm({ task, defaults, onClose, onSaved, onReload }: TaskFormProps) {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const access = useAccess();
  const phone = useMediaQuery('(max-width: 36em)');
  const canAssign = access.beyondOwn('task', 'write');
  const users = useTaskUsers(canAssign || Boolean(task && task.assigneeId !== me.id));
  const create = useCreateTask();
  const update = useUpdateTask();
  const reopenAction = useReopenAction();
  const deleteTask = useConfirmDeleteTask();
  const canDeleteTask = useCanDeleteTask();
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [reloading, setReloading] = useState(false);

  const form = useForm<FormValues>({
    initialValues: initialValues(task, defaults, me.id),
    validate: {
      title: (value) => (value.trim() ? null : t('tasks.titleRequired')),
      dueAt: (value) => (value ? null : t('tasks.dueRequired')),
    },
  });
  const values = form.getValues();
  const dueDate = pickerDate(values.dueAt);
  const isDone = task?.status === 'done';
  const canDelete = task ? canDeleteTask(task) : false;

  const taskScope = access.scopeOf('task', 'write');
  const assigneeOptions = useMemo(() => {
    const list = (users.data ?? []).filter(
      (user) => user.active && (taskScope !== 'department' || user.departmentId === me.departmentId || user.id === me.id),
    );
    const data = list.map((user) => ({ value: user.id, label: user.id === me.id ? `${user.name} (${t('tasks.you')})` : user.name }));
    if (!data.some((o) => o.value === me.id)) data.unshift({ value: me.id, label: `${me.name} (${t('tasks.you')})` });
    const assigned = task?.assigneeId;
    if (assigned && !data.some((o) => o.value === assigned)) {
      data.push({ value: assigned, label: users.data?.find((u) => u.id === assigned)?.name ?? '…' });
    }
    return data;
  }, [users.data, me, task, t, taskScope]);

  const remindOptions = [
    { value: 'none', label: t('tasks.remind.none') },
    { value: '15', label: t('tasks.remind.m15') },
    { value: '60', label: t('tasks.remind.m60') },
    { value: '1440', label: t('tasks.remind.m1440') },
    ...(values.remindBeforeMinutes === 'keep' && task ? [{ value: 'keep', label: reminderText(task, t, i18n.language) ?? '' }] : []),
  ];

  const reloadCurrent = async () => {
    if (!task) return;
    setReloading(true);
    try {
      onReload(await api.get<Task>(`/tasks/${encodeURIComponent(task.id)}`));
    } catch (error) {
      notifyError(error);
    } finally {
      setReloading(false);
    }
  };

  const submit = form.onSubmit(async (v) => {
    setSubmitted(true);
    setFormError(null);
    setConflict(false);
    if (Object.keys(recurrenceErrors(v.recurrence, pickerDate(v.dueAt))).length > 0) return;
    const dueAt = fromPickerValue(v.dueAt!);
    const recurrence = toRrule(v.recurrence);
    const description = v.description.trim() || null;
    const remind = v.remindBeforeMinutes === 'none' ? null : v.remindBeforeMinutes === 'keep' ? undefined : Number(v.remindBeforeMinutes);
    try {
      let saved: Task;
      if (!task) {
        const body: TaskBody = { title: v.title.trim(), type: v.type, dueAt };
        if (v.assigneeId && v.assigneeId !== me.id) body.assigneeId = v.assigneeId;
        if (v.clientId) body.clientId = v.clientId;
        if (v.dealId) body.dealId = v.dealId;
        if (recurrence) body.recurrence = recurrence;
        if (description) body.description = description;
        if (remind) body.remindBeforeMinutes = remind;
        saved = await create.mutateAsync(body);
        notifySuccess(t('tasks.created'));
      } else {
        const patch: TaskPatch = { version: task.version };
        if (v.title.trim() !== task.title) patch.title = v.title.trim();
        if (v.type !== task.type) patch.type = v.type;
        if (new Date(dueAt).getTime() !== new Date(task.dueAt).getTime()) patch.dueAt = dueAt;
        if (v.assigneeId && v.assigneeId !== task.assigneeId) patch.assigneeId = v.assigneeId;
        if (v.clientId !== task.clientId) patch.clientId = v.clientId;
        if (v.dealId !== task.dealId) patch.dealId = v.dealId;
        if ((recurrence ?? null) !== (task.recurrence ?? null)) patch.recurrence = recurrence;
        if (description !== (task.description ?? null)) patch.description = description;
        if (remind !== undefined && remind !== task.remindBeforeMinutes) patch.remindBeforeMinutes = remind;
        if (remind === null && task.remindAt) patch.remindAt = null;
        saved = Object.keys(patch).length > 1 ? await update.mutateAsync({ id: task.id, ...patch }) : task;
        notifySuccess(t('tasks.saved'));
      }
      onSaved?.(saved);
      onClose();
    } catch (error) {
      if (isApiError(error, 409)) {
        setConflict(true);
        return;
      }
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  const confirmDelete = () => task && deleteTask(task, onClose);

  const doReopen = async () => {
    if (!task) return;
    const reopened = await reopenAction.run(task);
    if (reopened) onReload(reopened);
  };

  const TypeIcon = TYPE_ICONS[values.type];

  return (
    <>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {conflict ? (
            <Alert color="orange" variant="light" icon={<IconRefresh size={18} />}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('tasks.conflict')}</Text>
                <Button
                  size="xs"
                  variant="light"
                  color="orange"
                  leftSection={<IconRefresh size={14} />}
                  loading={reloading}
                  onClick={reloadCurrent}
                >
                  {t('tasks.reload')}
                </Button>
              </Stack>
            </Alert>
          ) : null}
          <FormError message={formError} />

          {isDone && task ? (
            <Alert color="green" variant="light" icon={<IconCheck size={18} />}>
              <Text size="sm">{t('tasks.doneAt', { date: formatDue(task.doneAt) })}</Text>
              {task.result ? (
                <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                  {t('tasks.resultLabel', { text: task.result })}
                </Text>
              ) : null}
            </Alert>
          ) : null}

          <TextInput
            label={t('tasks.taskTitle')}
            placeholder={t('tasks.titlePlaceholder')}
            withAsterisk
            data-autofocus={!task || undefined}
            maxLength={500}
            key={form.key('title')}
            {...form.getInputProps('title')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
            <Select
              label={t('tasks.type')}
              data={TASK_TYPES.map((type) => ({ value: type, label: t(`tasks.types.${type}`) }))}
              allowDeselect={false}
              leftSection={<TypeIcon size={16} />}
              renderOption={({ option }) => {
                const Icon = TYPE_ICONS[option.value as TaskType];
                return (
                  <Group gap="xs" wrap="nowrap">
                    <Icon size={16} />
                    <span>{option.label}</span>
                  </Group>
                );
              }}
              comboboxProps={{ withinPortal: true }}
              key={form.key('type')}
              {...form.getInputProps('type')}
            />
            <DateTimePicker
              label={t('tasks.due')}
              placeholder={t('tasks.duePlaceholder')}
              description={browserInOtherZone ? t('tasks.dueHint') : undefined}
              valueFormat="DD.MM.YYYY HH:mm"
              withAsterisk
              dropdownType={phone ? 'modal' : 'popover'}
              popoverProps={{ withinPortal: true }}
              data-testid="task-due"
              nextLabel={t('tasks.picker.nextMonth')}
              previousLabel={t('tasks.picker.previousMonth')}
              timePickerProps={{ hoursInputLabel: t('tasks.picker.hours'), minutesInputLabel: t('tasks.picker.minutes') }}
              submitButtonProps={{ 'aria-label': t('tasks.picker.apply') }}
              key={form.key('dueAt')}
              {...form.getInputProps('dueAt')}
            />
          </SimpleGrid>

          {canAssign ? (
            <Select
              label={t('tasks.assignee')}
              data={assigneeOptions}
              searchable
              allowDeselect={false}
              nothingFoundMessage={t('tasks.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              key={form.key('assigneeId')}
              {...form.getInputProps('assigneeId')}
            />
          ) : null}

          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
            <ClientPicker
              value={values.clientId}
              onChange={(id) => {
                form.setFieldValue('clientId', id);
                // a deal of another client cannot stay
                if (id !== values.clientId) form.setFieldValue('dealId', null);
              }}
              error={form.errors.clientId}
            />
            <DealPicker
              value={values.dealId}
              clientId={values.clientId}
              onChange={(id, extra) => {
                form.setFieldValue('dealId', id);
                if (id && extra?.clientId) form.setFieldValue('clientId', extra.clientId);
              }}
              error={form.errors.dealId}
            />
          </SimpleGrid>

          <Textarea
            label={t('tasks.taskDescription')}
            placeholder={t('tasks.descriptionPlaceholder')}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={10000}
            key={form.key('description')}
            {...form.getInputProps('description')}
          />

          <Select
            label={t('tasks.reminder')}
            data={remindOptions}
            allowDeselect={false}
            leftSection={<IconAlarm size={16} />}
            comboboxProps={{ withinPortal: true }}
            w={{ base: '100%', xs: 260 }}
            key={form.key('remindBeforeMinutes')}
            {...form.getInputProps('remindBeforeMinutes')}
          />

          <RecurrenceEditor
            value={values.recurrence}
            onChange={(next) => form.setFieldValue('recurrence', next)}
            dueDate={dueDate}
            showErrors={submitted}
            error={typeof form.errors.recurrence === 'string' ? form.errors.recurrence : null}
          />

          <Group justify="space-between" gap="sm" mt="xs">
            <Group gap="xs">
              {task && canDelete ? (
                <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={confirmDelete}>
                  {t('tasks.delete')}
                </Button>
              ) : null}
              {task && !isDone ? (
                <Button variant="light" color="green" leftSection={<IconCheck size={16} />} onClick={() => setCompleting(task)}>
                  {t('tasks.complete')}
                </Button>
              ) : null}
              {task && isDone ? (
                <Button variant="light" leftSection={<IconRotate size={16} />} onClick={doReopen} loading={reopenAction.isPending}>
                  {t('tasks.reopen')}
                </Button>
              ) : null}
            </Group>
            <Group gap="xs" ml="auto">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {task ? t('common.save') : t('common.create')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
      {/* outside the <form>: React bubbles submit events through portals */}
      <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} onCompleted={() => onClose()} />
    </>
  );
}
