import { useEffect, useState, type ReactNode } from 'react';
import { Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBriefcase, IconBuilding, IconSearch, IconUser, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatMoney } from '../../../ui/format';
import { PageHeader } from '../../../ui/PageHeader';
import { QueryError } from '../../../ui/QueryError';
import { NegativeBadge, StatusBadge } from '../ClientBadges';
import { useSearch } from '../api';
import { formatPhone } from '../format';

function Group3({ title, icon, count, children }: { title: string; icon: ReactNode; count: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper p="md" component="section" aria-label={title}>
      <Group gap={8} mb="sm">
        {icon}
        <Title order={3} size="h4">
          {title}
        </Title>
        <Badge variant="light" color="gray" size="sm">
          {count}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {t('clients.search.noneInGroup')}
        </Text>
      ) : (
        <Stack gap="sm">{children}</Stack>
      )}
    </Paper>
  );
}

const dimmedLine = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');

/** `/clients/search?q=`: the global search over clients, contacts and deals (GET /api/search). */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [input, setInput] = useState(q);
  const search = useSearch(q);

  // the header search box changes ?q= while this page is open
  useEffect(() => setInput(q), [q]);

  const data = search.data;
  const total = data ? data.clients.length + data.contacts.length + data.deals.length : 0;

  return (
    <>
      <PageHeader title={t('clients.search.title')} description={t('clients.search.description')} />
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const value = input.trim();
          setParams(value ? { q: value } : {});
        }}
      >
        <Group gap="sm" mb="md" wrap="nowrap" align="flex-end">
          <TextInput
            style={{ flex: 1 }}
            aria-label={t('clients.search.label')}
            placeholder={t('clients.search.placeholder')}
            leftSection={<IconSearch size={16} />}
            rightSection={search.isFetching ? <Loader size="xs" /> : undefined}
            value={input}
            onChange={(event) => setInput(event.currentTarget.value)}
            type="search"
            autoFocus={!q}
          />
          <Button type="submit">{t('clients.search.submit')}</Button>
        </Group>
      </form>

      {!q.trim() ? (
        <Text c="dimmed">{t('clients.search.enterQuery')}</Text>
      ) : search.isPending ? (
        <Loader />
      ) : search.isError ? (
        <QueryError error={search.error} onRetry={() => void search.refetch()} />
      ) : total === 0 ? (
        <Paper p="xl">
          <Text c="dimmed" ta="center">
            {t('clients.search.nothing', { q })}
          </Text>
        </Paper>
      ) : data ? (
        <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md" style={{ alignItems: 'start' }}>
          <Group3 title={t('clients.search.clients')} icon={<IconBuilding size={18} />} count={data.clients.length}>
            {data.clients.map((client) => (
              <div key={client.id}>
                <Group gap={6} justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/clients/${encodeURIComponent(client.id)}`} fw={500} size="sm">
                    {client.name}
                  </Anchor>
                  <Group gap={4} wrap="nowrap">
                    {client.negativeFeedback ? <NegativeBadge compact size="xs" /> : null}
                    <StatusBadge status={client.status} showActive={false} size="xs" />
                  </Group>
                </Group>
                <Text size="xs" c="dimmed">
                  {dimmedLine([
                    client.inn ? `${t('clients.field.inn')} ${client.inn}` : null,
                    client.phones[0] ? formatPhone(client.phones[0]) : null,
                    client.emails[0],
                    client.region,
                  ]) || t(`clients.kind.${client.kind}`)}
                </Text>
              </div>
            ))}
          </Group3>
          <Group3 title={t('clients.search.contacts')} icon={<IconUsers size={18} />} count={data.contacts.length}>
            {data.contacts.map((contact) => (
              <div key={contact.id}>
                <Group gap={6} wrap="nowrap">
                  <IconUser size={14} style={{ flex: 'none' }} />
                  <Text size="sm" fw={500}>
                    {contact.name}
                  </Text>
                  {contact.position ? (
                    <Text size="xs" c="dimmed" truncate>
                      {contact.position}
                    </Text>
                  ) : null}
                </Group>
                <Anchor component={Link} to={`/clients/${encodeURIComponent(contact.clientId)}`} size="xs">
                  {t('clients.search.ofClient', { name: contact.clientName })}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {dimmedLine([contact.phones[0] ? formatPhone(contact.phones[0]) : null, contact.emails[0]])}
                </Text>
              </div>
            ))}
          </Group3>
          <Group3 title={t('clients.search.deals')} icon={<IconBriefcase size={18} />} count={data.deals.length}>
            {data.deals.map((deal) => (
              <div key={deal.id}>
                <Group gap={6} justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/deals/${encodeURIComponent(deal.id)}`} fw={500} size="sm">
                    {deal.title}
                  </Anchor>
                  <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(deal.amount)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {dimmedLine([deal.clientName, deal.stageName, deal.ownerName])}
                </Text>
              </div>
            ))}
          </Group3>
        </SimpleGrid>
      ) : null}
    </>
  );
}
