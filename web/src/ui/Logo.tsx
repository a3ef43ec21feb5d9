import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

function FunnelMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="var(--mantine-primary-color-filled)" />
      <path d="M7 8h18l-6.5 8.5V24l-5 2v-9.5z" fill="#fff" />
    </svg>
  );
}

/** «Воронка» mark + word. */
export function Logo({ size = 28 }: { size?: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <FunnelMark size={size} />
      <Text fw={700} fz={size * 0.7} lh={1} c="var(--mantine-color-text)">
        {t('app.name')}
      </Text>
    </Group>
  );
}
