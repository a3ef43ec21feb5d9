import { Badge, Group, Tooltip } from '@mantine/core';
import { IconBan, IconMoodSad } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Client } from './api';

/** «Отказ» in clear red; an active client shows a quiet «Активный» only when `showActive`. */
export function StatusBadge({
  status,
  showActive = true,
  size = 'sm',
}: {
  status: Client['status'];
  showActive?: boolean;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  if (status === 'refused') {
    return (
      <Badge color="red" variant="filled" size={size} leftSection={<IconBan size={12} />}>
        {t('clients.status.refused')}
      </Badge>
    );
  }
  if (!showActive) return null;
  return (
    <Badge color="green" variant="light" size={size}>
      {t('clients.status.active')}
    </Badge>
  );
}

/** The negative-feedback mark (MISSION 5): an orange badge, or an icon with a tooltip in dense lists. */
export function NegativeBadge({ compact = false, size = 'sm' }: { compact?: boolean; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  if (compact) {
    return (
      <Tooltip label={t('clients.negative')} withArrow>
        <Badge color="orange" variant="light" size={size} px={6} aria-label={t('clients.negative')} leftSection={<IconMoodSad size={13} />}>
          {t('clients.negativeShort')}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="orange" variant="light" size={size} leftSection={<IconMoodSad size={13} />}>
      {t('clients.negative')}
    </Badge>
  );
}

export function ClientBadges({
  client,
  size = 'sm',
}: {
  client: Pick<Client, 'status' | 'negativeFeedback'>;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  return (
    <Group gap={6} wrap="wrap">
      <StatusBadge status={client.status} size={size} />
      {client.negativeFeedback ? <NegativeBadge size={size} /> : null}
    </Group>
  );
}
