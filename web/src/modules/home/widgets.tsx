import type { ReactNode } from 'react';
import { Anchor, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { IconChevronRight, type TablerIcon } from '@tabler/icons-react';
import { Link } from 'react-router';

/** A dashboard card: title, an optional «Подробнее» link, content. */
export function DashCard({ title, link, linkLabel, children, testId }: { title: ReactNode; link?: string; linkLabel?: string; children: ReactNode; testId?: string }) {
  return (
    <Paper p={{ base: 'sm', sm: 'md' }} radius="md" data-testid={testId} style={{ minWidth: 0 }}>
      <Group justify="space-between" mb="sm" gap="xs" wrap="nowrap">
        <Title order={3} size="h4" style={{ minWidth: 0 }}>
          {title}
        </Title>
        {link && linkLabel ? (
          <Anchor component={Link} to={link} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {linkLabel}
          </Anchor>
        ) : null}
      </Group>
      {children}
    </Paper>
  );
}

interface MetricProps {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  icon: TablerIcon;
  color?: string;
  to?: string;
  loading?: boolean;
  testId?: string;
}

/** A small figure with an icon; with `to` the whole card is a link. */
export function MetricCard({ label, value, hint, icon: Icon, color = 'brand', to, loading, testId }: MetricProps) {
  const content = (
    <Paper p="sm" radius="md" h="100%" data-testid={testId} style={{ minWidth: 0 }}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color={color} size={36} radius="md">
          <Icon size={20} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
          <Text size="xs" c="dimmed" lineClamp={2}>
            {label}
          </Text>
          {loading ? (
            <Skeleton h={26} w={70} mt={2} />
          ) : (
            <Text fw={700} fz="xl" lh={1.25} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {value}
            </Text>
          )}
          {hint ? (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {hint}
            </Text>
          ) : null}
        </Stack>
        {to ? <IconChevronRight size={16} color="var(--mantine-color-gray-5)" style={{ flexShrink: 0, alignSelf: 'center' }} /> : null}
      </Group>
    </Paper>
  );
  return to ? (
    <UnstyledButton component={Link} to={to} style={{ display: 'block', height: '100%' }}>
      {content}
    </UnstyledButton>
  ) : (
    content
  );
}
