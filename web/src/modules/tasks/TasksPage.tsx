import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Center, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconChecklist, IconPlus, IconUsers } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { useCurrentUser } from '../../auth/useAuth';
import { notifyError } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ExportMenu } from '../../ui/ExportMenu';
import { QueryError } from '../../ui/QueryError';
import { localDate, addDaysToDate } from '../../../../common/dates';
import { TASKS_KEY, useTask, useTaskList, useTaskSummary, useTaskUsers, type Task, type TaskFilters } from './api';
import { useCanDeleteTask, useConfirmDeleteTask, useReopenAction } from './actions';
import { CompleteTaskModal } from './CompleteTaskModal';
import { TaskFormModal } from './TaskFormModal';
import { TaskRow } from './TaskRow';
import { COMPANY_TZ } from './time';
import classes from './tasks.module.css';
import './i18n';
import { useAccess } from '../../auth/permissions';

const TABS = ['today', 'overdue', 'week', 'open', 'done'] as const;
type Tab = (typeof TABS)[number];

const TAB_FILTERS: Record<Tab, TaskFilters> = {
  today: { status: 'open', due: 'today' },
  overdue: { due: 'overdue' },
  week: { status: 'open', due: 'week' },
  open: { status: 'open' },
  done: { status: 'done' },
};

const isTab = (value: string | null): value is Tab => value !== null && (TABS as readonly string[]).includes(value);

/** Re-renders every minute, so «просрочено на …» and the red highlight follow the clock. */
function useNow(intervalMs = 60_000) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const weekdayFormat = new Intl.DateTimeFormat('ru-RU', { weekday: 'long', timeZone: COMPANY_TZ });
const weekdayFormatEn = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: COMPANY_TZ });

/** «Сегодня · 26.11.2026», «Завтра · 27.11.2026», «Пятница · 04.12.2026». */
function dayHeading(date: string, today: string, t: (key: string) => string, lang: string): string {
  const shown = `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
  if (date === today) return `${t('tasks.groups.today')} · ${shown}`;
  if (date === addDaysToDate(today, 1)) return `${t('tasks.groups.tomorrow')} · ${shown}`;
  if (date === addDaysToDate(today, -1)) return `${t('tasks.groups.yesterday')} · ${shown}`;
  const noon = new Date(`${date}T09:00:00Z`);
  const weekday = (lang === 'en' ? weekdayFormatEn : weekdayFormat).format(noon);
  return `${weekday[0].toUpperCase()}${weekday.slice(1)} · ${shown}`;
}

function CountBadge({ tab, count, inverted }: { tab: Tab; count: number; inverted?: boolean }) {
  const red = tab === 'overdue';
  return (
    <Badge
      size="sm"
      circle={count < 10}
      color={inverted && !red ? 'white' : red ? 'red' : 'gray'}
      c={inverted && !red ? 'dark' : undefined}
      variant={red || inverted ? 'filled' : 'light'}
      data-testid={`count-${tab}`}
    >
      {count}
    </Badge>
  );
}

/** «Мои задачи»: today / overdue / this week / all open / done, with counts, live updates and `?open=<id>`. */
export default function TasksPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const access = useAccess();
  const queryClient = useQueryClient();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const canFilter = access.beyondOwn('task', 'write');
  const phone = useMediaQuery('(max-width: 36em)');

  const tab: Tab = isTab(params.get('tab')) ? (params.get('tab') as Tab) : 'today';
  const assignee = canFilter ? (params.get('assignee') ?? 'me') : 'me';
  const openId = params.get('open');

  const filters: TaskFilters = { ...TAB_FILTERS[tab], assigneeId: assignee === 'me' ? me.id : assignee === 'all' ? undefined : assignee };
  const list = useTaskList(filters);
  const summary = useTaskSummary();
  const tasks = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const showsOthers = assignee !== 'me';
  const users = useTaskUsers(canFilter || tasks.some((task) => task.assigneeId !== me.id));
  const userName = useMemo(() => new Map((users.data ?? []).map((user) => [user.id, user.name])), [users.data]);

  // live: a task changed (ours or one we authored), or a reminder arrived
  const refresh = () => void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
  useLiveEvent('task.changed', refresh);
  useLiveEvent('notification.created', refresh);

  // ?open=<id> (the bell's link, the client and deal cards): fetched by id (kept while it refreshes),
  // shown at once when the list already has it
  const fromList = openId ? tasks.find((task) => task.id === openId) : undefined;
  const fetched = useTask(openId);
  const openTask = fetched.data ?? fromList ?? null;
  useEffect(() => {
    if (openId && fetched.isError) {
      notifyError(fetched.error);
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.delete('open');
          return next;
        },
        { replace: true },
      );
    }
  }, [openId, fetched.isError, fetched.error, setParams]);

  const [creating, setCreating] = useState(false);
  const [completing, setCompleting] = useState<Task | null>(null);
  const reopen = useReopenAction();
  const confirmDelete = useConfirmDeleteTask();
  const canDelete = useCanDeleteTask();

  const setParam = (key: string, value: string | null, replace = true) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace },
    );

  const counts: Partial<Record<Tab, number>> =
    !showsOthers && summary.data ? { today: summary.data.today, overdue: summary.data.overdue, week: summary.data.week } : {};

  const tabData = TABS.map((key) => ({
    value: key,
    label: (
      <Group gap={6} wrap="nowrap" justify="center">
        <span>{t(`tasks.tabs.${key}`)}</span>
        {counts[key] ? (
          <Badge
            size="sm"
            circle={counts[key]! < 10}
            color={key === 'overdue' ? 'red' : 'gray'}
            variant={key === 'overdue' ? 'filled' : 'light'}
            data-testid={`count-${key}`}
          >
            {counts[key]}
          </Badge>
        ) : null}
      </Group>
    ),
  }));

  const assigneeOptions = [
    { value: 'me', label: t('tasks.assigneeMine') },
    { value: 'all', label: t('tasks.assigneeAll') },
    ...(users.data ?? [])
      .filter(
        (user) =>
          user.active && user.id !== me.id && (access.scopeOf('task', 'write') !== 'department' || user.departmentId === me.departmentId),
      )
      .map((user) => ({ value: user.id, label: user.name })),
  ];

  // group the rows by the local day of the due time (company zone)
  const today = localDate(now, COMPANY_TZ);
  const groups: { day: string; items: Task[] }[] = [];
  for (const task of tasks) {
    const day = localDate(task.dueAt, COMPANY_TZ);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(task);
    else groups.push({ day, items: [task] });
  }

  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        description={t('tasks.description')}
        actions={
          <>
            <ExportMenu path="/tasks" query={{ ...filters }} name="tasks" />
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              {t('tasks.add')}
            </Button>
          </>
        }
      />

      <Stack gap="md">
        <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap">
          {phone ? (
            // phones: the tabs wrap onto two lines instead of hiding behind a horizontal scroll
            <Group gap={6} role="tablist" aria-label={t('tasks.tabsLabel')} data-testid="task-tabs">
              {TABS.map((key) => (
                <Button
                  key={key}
                  role="tab"
                  aria-selected={tab === key}
                  size="compact-md"
                  radius="xl"
                  variant={tab === key ? 'filled' : 'default'}
                  onClick={() => setParam('tab', key, false)}
                  rightSection={counts[key] ? <CountBadge tab={key} count={counts[key]!} inverted={tab === key} /> : undefined}
                >
                  {t(`tasks.tabs.${key}`)}
                </Button>
              ))}
            </Group>
          ) : (
            <SegmentedControl
              value={tab}
              onChange={(value) => setParam('tab', value, false)}
              data={tabData}
              aria-label={t('tasks.tabsLabel')}
              data-testid="task-tabs"
            />
          )}
          {canFilter ? (
            <Select
              aria-label={t('tasks.assigneeFilter')}
              data={assigneeOptions}
              value={assignee}
              onChange={(value) => setParam('assignee', value && value !== 'me' ? value : null)}
              allowDeselect={false}
              searchable
              leftSection={<IconUsers size={16} />}
              w={{ base: '100%', xs: 240 }}
              data-testid="assignee-filter"
            />
          ) : null}
        </Group>

        {list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.isPending ? (
          <Paper withBorder radius="md" p="md">
            <Stack gap="md">
              {[0, 1, 2].map((i) => (
                <Group key={i} gap="sm" wrap="nowrap">
                  <Skeleton circle height={22} />
                  <Stack gap={6} style={{ flex: 1 }}>
                    <Skeleton height={12} width="60%" />
                    <Skeleton height={10} width="40%" />
                  </Stack>
                </Group>
              ))}
            </Stack>
          </Paper>
        ) : tasks.length === 0 ? (
          <Paper withBorder radius="md" p="xl">
            <Center>
              <Stack align="center" gap="xs" maw={420}>
                <ThemeIcon size={48} radius="xl" variant="light" color={tab === 'overdue' ? 'green' : 'gray'}>
                  <IconChecklist size={26} />
                </ThemeIcon>
                <Text fw={600} ta="center" data-testid="tasks-empty">
                  {t(`tasks.empty.${tab}`)}
                </Text>
                {tab !== 'done' && tab !== 'overdue' ? (
                  <>
                    <Text size="sm" c="dimmed" ta="center">
                      {t('tasks.emptyHint')}
                    </Text>
                    <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                      {t('tasks.add')}
                    </Button>
                  </>
                ) : null}
              </Stack>
            </Center>
          </Paper>
        ) : (
          <div data-testid="task-list" style={{ opacity: list.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
            {groups.map((group) => (
              <section key={group.day} className={classes.group}>
                <Text size="sm" fw={600} c={group.day < today && tab !== 'done' ? 'red.7' : 'dimmed'} mb={6} tt="none">
                  {dayHeading(group.day, today, t, i18n.language)}
                </Text>
                <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
                  {group.items.map((task) => (
                    <TaskRow
                      key={task.id}
                      task={task}
                      now={now}
                      assigneeName={showsOthers || task.assigneeId !== me.id ? (userName.get(task.assigneeId) ?? null) : null}
                      canDelete={canDelete(task)}
                      onOpen={(item) => setParam('open', item.id, false)}
                      onComplete={setCompleting}
                      onReopen={(item) => void reopen.run(item)}
                      onDelete={(item) => confirmDelete(item)}
                    />
                  ))}
                </Paper>
              </section>
            ))}
            {list.hasNextPage ? (
              <Center mt="md">
                <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  {t('common.loadMore')}
                </Button>
              </Center>
            ) : null}
          </div>
        )}
      </Stack>

      <TaskFormModal opened={creating} onClose={() => setCreating(false)} />
      <TaskFormModal opened={Boolean(openId && openTask)} task={openTask} onClose={() => setParam('open', null)} />
      <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} />
    </>
  );
}
