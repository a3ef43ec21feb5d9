import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type LiveNotification, useLiveEvent } from '../api/events';
import { formatTime } from '../ui/format';
import { type BellItem, bellStore, useBellItems } from './notificationsStore';

function openLink(link: string, navigate: (to: string) => void) {
  if (link.startsWith('/') && !link.startsWith('//')) navigate(link);
  else window.open(link, '_blank', 'noopener');
}

function BellEntry({ item, onOpen }: { item: BellItem; onOpen: (item: BellItem) => void }) {
  return (
    <UnstyledButton
      onClick={() => onOpen(item)}
      p="xs"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      bg={item.read ? undefined : 'var(--mantine-primary-color-light)'}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={item.read ? 400 : 600} lineClamp={2}>
          {item.title}
        </Text>
        <Text size="xs" c="dimmed">
          {formatTime(item.receivedAt)}
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

/** The bell in the header: counts and lists `notification` live events. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const items = useBellItems();
  const [opened, setOpened] = useState(false);
  const unread = items.filter((item) => !item.read).length;

  useLiveEvent<LiveNotification>('notification', (data) => {
    if (!data || typeof data !== 'object') return;
    bellStore.add(data);
    notifications.show({ title: data.title, message: data.text, autoClose: 6000 });
  });

  const openItem = (item: BellItem) => {
    bellStore.markRead(item.id);
    if (item.link) {
      setOpened(false);
      openLink(item.link, navigate);
    }
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
        <Group justify="space-between" px="xs" pb="xs">
          <Text fw={600} size="sm">
            {t('bell.title')}
          </Text>
          {unread > 0 ? (
            <Button variant="subtle" size="compact-xs" onClick={bellStore.markAllRead}>
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
