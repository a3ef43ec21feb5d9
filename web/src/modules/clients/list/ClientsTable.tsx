import { Anchor, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconBuilding, IconPhone, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { NegativeBadge, StatusBadge } from '../ClientBadges';
import type { Client } from '../api';
import { formatPhone } from '../format';

interface Props {
  clients: readonly Client[];
  userNames: Map<string, string>;
}

const clientPath = (client: Client) => `/clients/${encodeURIComponent(client.id)}`;

function KindIcon({ kind }: { kind: Client['kind'] }) {
  const { t } = useTranslation();
  const Icon = kind === 'company' ? IconBuilding : IconUser;
  return (
    <Icon size={16} stroke={1.6} aria-label={t(`clients.kind.${kind}`)} style={{ flex: 'none', color: 'var(--mantine-color-dimmed)' }} />
  );
}

function Dash() {
  return (
    <Text span size="sm" c="dimmed">
      —
    </Text>
  );
}

function PhoneCell({ phones }: { phones: string[] }) {
  if (phones.length === 0) return <Dash />;
  return (
    <Text span size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
      {formatPhone(phones[0])}
      {phones.length > 1 ? (
        <Text span c="dimmed" size="xs">
          {' '}
          +{phones.length - 1}
        </Text>
      ) : null}
    </Text>
  );
}

/** The client list on wide screens. A row opens the card. */
export function ClientsTable({ clients, userNames }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('clients.col.name')}</Table.Th>
            <Table.Th>{t('clients.col.inn')}</Table.Th>
            <Table.Th>{t('clients.col.phone')}</Table.Th>
            <Table.Th>{t('clients.col.region')}</Table.Th>
            <Table.Th>{t('clients.col.owner')}</Table.Th>
            <Table.Th>{t('clients.col.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clients.map((client) => (
            <Table.Tr
              key={client.id}
              style={{ cursor: 'pointer' }}
              bg={client.status === 'refused' ? 'var(--mantine-color-red-light)' : undefined}
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a')) return;
                navigate(clientPath(client));
              }}
            >
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <KindIcon kind={client.kind} />
                  <Anchor component={Link} to={clientPath(client)} fw={600} size="sm" c="inherit">
                    {client.name}
                  </Anchor>
                </Group>
              </Table.Td>
              <Table.Td className="tabular-nums">{client.inn ?? <Dash />}</Table.Td>
              <Table.Td>
                <PhoneCell phones={client.phones} />
              </Table.Td>
              <Table.Td>{client.region ?? <Dash />}</Table.Td>
              <Table.Td>{(client.ownerId && userNames.get(client.ownerId)) || <Dash />}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <StatusBadge status={client.status} />
                  {client.negativeFeedback ? <NegativeBadge compact /> : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The client list on phones: one card per client. */
export function ClientCards({ clients, userNames }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {clients.map((client) => {
        const owner = client.ownerId ? userNames.get(client.ownerId) : undefined;
        const meta = [client.region, owner].filter(Boolean).join(' · ');
        return (
          <Paper
            key={client.id}
            component={Link}
            to={clientPath(client)}
            p="sm"
            style={{
              display: 'block',
              color: 'inherit',
              textDecoration: 'none',
              borderLeft: client.status === 'refused' ? '4px solid var(--mantine-color-red-6)' : undefined,
            }}
          >
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <KindIcon kind={client.kind} />
                <Text fw={600} truncate>
                  {client.name}
                </Text>
              </Group>
              <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
                {client.negativeFeedback ? <NegativeBadge compact size="xs" /> : null}
                <StatusBadge status={client.status} showActive={false} size="xs" />
              </Group>
            </Group>
            {client.phones.length ? (
              <Group gap={6} mt={4}>
                <IconPhone size={14} stroke={1.6} />
                <Text size="sm" className="tabular-nums">
                  {formatPhone(client.phones[0])}
                </Text>
              </Group>
            ) : null}
            {meta || client.inn ? (
              <Text size="xs" c="dimmed" mt={2}>
                {[client.inn ? `${t('clients.col.inn')} ${client.inn}` : null, meta].filter(Boolean).join(' · ')}
              </Text>
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}
