import { useState } from 'react';
import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatRecent } from '../ui/format';
import {
  type BellNotification,
  useBellData,
  useBellLiveUpdates,
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
} from './notifications';

function BellEntry({ item, onOpen }: { item: BellNotification; onOpen: (item: BellNotification) => void }) {
  const unread = !item.readAt;
  return (
    <UnstyledButton
      onClick={() => onOpen(item)}
      p="xs"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      bg={unread ? 'var(--mantine-primary-color-light)' : undefined}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={unread ? 600 : 400} lineClamp={2}>
          {item.title}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatRecent(item.createdAt)}
        </Text>
      </Group>
      {item.text ? (
        <Text size="xs" c="dimmed" lineClamp={3}>
          {item.text}
        </Text>
      ) : null}
    </UnstyledButton>
  );
}

/** The bell in the header: the count of unread notifications and their list. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const bell = useBellData();
  const markRead = useMarkNotificationRead();
  const markAllRead = useMarkAllNotificationsRead();
  useBellLiveUpdates();

  const items = bell.data?.items ?? [];
  const unread = bell.data?.unreadCount ?? 0;

  const openItem = (item: BellNotification) => {
    if (!item.readAt) markRead.mutate(item.id);
    if (!item.link) return;
    setOpened(false);
    if (item.link.startsWith('/') && !item.link.startsWith('//')) navigate(item.link);
    else window.open(item.link, '_blank', 'noopener');
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md">
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={18} offset={6} color="red" disabled={unread === 0}>
          <ActionIcon
            size="lg"
            onClick={() => setOpened((value) => !value)}
            aria-label={unread ? `${t('bell.label')}: ${unread}` : t('bell.label')}
            data-testid="notification-bell"
          >
            <IconBell size={22} stroke={1.6} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs" maw="calc(100vw - 16px)">
        <Group justify="space-between" px="xs" pb="xs" wrap="nowrap">
          <Text fw={600} size="sm">
            {t('bell.title')}
          </Text>
          {unread > 0 ? (
            <Button variant="subtle" size="compact-xs" onClick={() => markAllRead.mutate()}>
              {t('bell.markAllRead')}
            </Button>
          ) : null}
        </Group>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" px="xs" pb="xs">
            {t('bell.empty')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={380}>
            <Stack gap={4}>
              {items.map((item) => (
                <BellEntry key={item.id} item={item} onOpen={openItem} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
