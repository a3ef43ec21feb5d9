import { ActionIcon, Anchor, Badge, Checkbox, Group, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import {
  IconBell,
  IconBriefcase,
  IconCheck,
  IconClock,
  IconDots,
  IconExternalLink,
  IconRepeat,
  IconRotate,
  IconTrash,
  IconUser,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currentLanguage } from '../../i18n';
import { useClientName, useDealBrief, type Task } from './api';
import { describeRecurrence } from './recurrence';
import { TYPE_COLORS, TYPE_ICONS, formatDue, reminderText } from './taskUi';
import { overdueText } from './time';
import classes from './tasks.module.css';

export interface TaskRowProps {
  task: Task;
  now: Date;
  /** Assignee's name, when the list shows other people's tasks. */
  assigneeName?: string | null;
  canDelete: boolean;
  onOpen: (task: Task) => void;
  onComplete: (task: Task) => void;
  onReopen: (task: Task) => void;
  onDelete: (task: Task) => void;
}

function ClientLink({ id }: { id: string }) {
  const name = useClientName(id);
  return (
    <Anchor component={Link} to={`/clients/${encodeURIComponent(id)}`} size="sm" className={classes.link}>
      <IconUser size={14} className={classes.linkIcon} />
      {name.data ?? '…'}
    </Anchor>
  );
}

function DealLink({ id }: { id: string }) {
  const deal = useDealBrief(id);
  return (
    <Anchor component={Link} to={`/deals/${encodeURIComponent(id)}`} size="sm" className={classes.link}>
      <IconBriefcase size={14} className={classes.linkIcon} />
      {deal.data?.title ?? '…'}
    </Anchor>
  );
}

/** One task of «Мои задачи»: done checkbox, type, title, client/deal links, due time (red when late), repeat, reminder. */
export function TaskRow({ task, now, assigneeName, canDelete, onOpen, onComplete, onReopen, onDelete }: TaskRowProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const done = task.status === 'done';
  const overdue = !done && new Date(task.dueAt).getTime() < now.getTime();
  const Icon = TYPE_ICONS[task.type];
  const reminder = reminderText(task, t, i18n.language);
  const repeat = task.recurrence ? describeRecurrence(task.recurrence, { lang, short: true }) : '';

  return (
    <div
      className={classes.row}
      data-overdue={overdue || undefined}
      data-done={done || undefined}
      data-testid="task-row"
      data-task-id={task.id}
    >
      <Checkbox
        checked={done}
        onChange={() => (done ? onReopen(task) : onComplete(task))}
        aria-label={done ? t('tasks.markOpen') : t('tasks.markDone')}
        color="green"
        radius="xl"
        size="md"
        mt={4}
      />
      <div className={classes.main}>
        <UnstyledButton onClick={() => onOpen(task)} className={classes.titleButton}>
          <Text fw={600} size="sm" lineClamp={2} td={done ? 'line-through' : undefined} c={done ? 'dimmed' : undefined}>
            {task.title}
          </Text>
        </UnstyledButton>
        <Group gap={10} wrap="wrap" mt={2} className={classes.meta}>
          <Badge variant="light" color={TYPE_COLORS[task.type]} size="sm" radius="sm" tt="none" fw={600} leftSection={<Icon size={12} />}>
            {t(`tasks.types.${task.type}`)}
          </Badge>
          <Group gap={4} wrap="nowrap">
            <IconClock size={14} color={overdue ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-dimmed)'} />
            <Text
              size="sm"
              c={overdue ? 'red.7' : undefined}
              fw={overdue ? 600 : undefined}
              className="tabular-nums"
              data-testid="task-due"
            >
              {formatDue(task.dueAt)}
            </Text>
          </Group>
          {overdue ? (
            <Badge color="red" variant="filled" size="sm" radius="sm" tt="none" fw={600} data-testid="task-overdue">
              {overdueText(task.dueAt, now, lang)}
            </Badge>
          ) : null}
          {repeat ? (
            <Group gap={4} wrap="nowrap" data-testid="task-repeat">
              <IconRepeat size={14} color="var(--mantine-primary-color-filled)" />
              <Text size="sm" c="dimmed">
                {repeat}
              </Text>
            </Group>
          ) : null}
          {reminder && !done ? (
            <Tooltip label={t('tasks.remindShort', { text: reminder })} withArrow>
              <IconBell size={16} color="var(--mantine-color-dimmed)" aria-label={t('tasks.remindShort', { text: reminder })} />
            </Tooltip>
          ) : null}
        </Group>
        {task.clientId || task.dealId || assigneeName ? (
          <Group gap={12} wrap="wrap" mt={4}>
            {task.clientId ? <ClientLink id={task.clientId} /> : null}
            {task.dealId ? <DealLink id={task.dealId} /> : null}
            {assigneeName ? (
              <Text size="sm" c="dimmed">
                {t('tasks.assignee')}: {assigneeName}
              </Text>
            ) : null}
          </Group>
        ) : null}
        {done && task.result ? (
          <Text size="sm" c="dimmed" mt={4} lineClamp={3} style={{ whiteSpace: 'pre-line' }}>
            {t('tasks.resultLabel', { text: task.result })}
          </Text>
        ) : null}
      </div>
      <div className={classes.actions}>
        {!done ? (
          <Tooltip label={t('tasks.complete')} withArrow>
            <ActionIcon
              variant="light"
              color="green"
              size="lg"
              onClick={() => onComplete(task)}
              aria-label={t('tasks.complete')}
              visibleFrom="sm"
            >
              <IconCheck size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('tasks.actions')}>
              <IconDots size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconExternalLink size={16} />} onClick={() => onOpen(task)}>
              {t('tasks.open')}
            </Menu.Item>
            {done ? (
              <Menu.Item leftSection={<IconRotate size={16} />} onClick={() => onReopen(task)}>
                {t('tasks.reopen')}
              </Menu.Item>
            ) : (
              <Menu.Item leftSection={<IconCheck size={16} />} onClick={() => onComplete(task)}>
                {t('tasks.complete')}
              </Menu.Item>
            )}
            {canDelete ? (
              <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDelete(task)}>
                {t('tasks.delete')}
              </Menu.Item>
            ) : null}
          </Menu.Dropdown>
        </Menu>
      </div>
    </div>
  );
}
