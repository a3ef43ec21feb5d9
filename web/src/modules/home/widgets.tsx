import type { ReactNode } from 'react';
import { Anchor, Group, Paper, Skeleton, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import './home.css';
import type { TablerIcon } from '@tabler/icons-react';
import { Link } from 'react-router';

/** A dashboard card: title, an optional «Подробнее» link, content. */
export function DashCard({
  title,
  link,
  linkLabel,
  children,
  testId,
}: {
  title: ReactNode;
  link?: string;
  linkLabel?: string;
  children: ReactNode;
  testId?: string;
}) {
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

/** A small figure: label with a small icon on the right, the value, a hint; with `to` the whole card is a link. */
export function MetricCard({ label, value, hint, icon: Icon, color = 'brand', to, loading, testId }: MetricProps) {
  const content = (
    <Paper p="sm" radius="md" h="100%" data-testid={testId} className={to ? 'vr-metric-link' : undefined} style={{ minWidth: 0 }}>
      <Group gap={6} wrap="nowrap" align="flex-start" justify="space-between">
        <Text size="xs" c="dimmed" lh={1.3} style={{ minWidth: 0 }}>
          {label}
        </Text>
        <ThemeIcon variant="light" color={color} size={26} radius="md" style={{ flexShrink: 0 }}>
          <Icon size={16} stroke={1.7} />
        </ThemeIcon>
      </Group>
      {loading ? (
        <Skeleton h={26} w={70} mt={4} />
      ) : (
        <Text
          fw={700}
          fz={{ base: 'lg', sm: 'xl' }}
          lh={1.3}
          mt={2}
          style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
        >
          {value}
        </Text>
      )}
      {hint ? (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
  return to ? (
    <UnstyledButton component={Link} to={to} style={{ display: 'block', height: '100%', borderRadius: 'var(--mantine-radius-md)' }}>
      {content}
    </UnstyledButton>
  ) : (
    content
  );
}
