import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Grid, Group, Menu, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { useQueryClient } from '@tanstack/react-query';
import {
  IconArrowLeft,
  IconArrowsJoin,
  IconBan,
  IconBuilding,
  IconDots,
  IconMail,
  IconMoodSad,
  IconPencil,
  IconPhone,
  IconRefresh,
  IconTrash,
  IconUser,
  IconUserShare,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { useLiveEvent } from '../../../api/events';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { ClientBadges } from '../ClientBadges';
import {
  clientKeys,
  deletedHere,
  useClient,
  useDeleteClient,
  useLossReasons,
  useReactivate,
  useUpdateClient,
  useUserNames,
  type Client,
} from '../api';
import { ClientFormModal } from '../form/ClientFormModal';
import { formatDate, formatPhone } from '../format';
import { MergeModal, ReassignModal, RefusalModal } from './ActionModals';
import { ContactsPanel } from './ContactsPanel';
import { DealsPanel } from './DealsPanel';
import { RequisitesPanel } from './RequisitesPanel';
import { TasksPanel } from './TasksPanel';
import { TimelinePanel } from './TimelinePanel';
import { ClientReviewsPanel } from '../../reviews/ClientReviewsPanel';
import { useAccess } from '../../../auth/permissions';

type ModalName = 'edit' | 'refusal' | 'reassign' | 'merge' | null;

/** The red banner of the refusal mode: «Клиент в режиме отказа: Дорого» + the comment. */
function RefusalBanner({ client }: { client: Client }) {
  const { t } = useTranslation();
  const reasons = useLossReasons();
  const reason = reasons.data?.find((item) => item.id === client.refusalReasonId)?.name;
  return (
    <Alert
      color="red"
      variant="filled"
      icon={<IconBan size={20} />}
      title={t('clients.card.refusedBanner', { reason: reason ?? (reasons.isPending ? '…' : t('clients.card.refusedUnknownReason')) })}
      role="status"
      data-testid="refusal-banner"
    >
      {client.refusalComment ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {client.refusalComment}
        </Text>
      ) : null}
    </Alert>
  );
}

function QuickContacts({ client }: { client: Client }) {
  if (!client.phones.length && !client.emails.length) return null;
  return (
    <Group gap="md" wrap="wrap">
      {client.phones.slice(0, 2).map((phone) => (
        <Anchor key={phone} href={`tel:${phone}`} size="sm" className="tabular-nums">
          <Group gap={4} wrap="nowrap">
            <IconPhone size={15} />
            {formatPhone(phone)}
          </Group>
        </Anchor>
      ))}
      {client.emails.slice(0, 1).map((email) => (
        <Anchor key={email} href={`mailto:${email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Group gap={4} wrap="nowrap">
            <IconMail size={15} />
            {email}
          </Group>
        </Anchor>
      ))}
    </Group>
  );
}

function ClientCard({ client, reload }: { client: Client; reload: () => Promise<Client | undefined> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const access = useAccess();
  const canEdit = access.can('client', 'write');
  const manage = access.has('client.manage');
  const wide = useMediaQuery('(min-width: 62em)', true);
  const userNames = useUserNames();
  const [modal, setModal] = useState<ModalName>(null);
  const reactivate = useReactivate(client.id);
  const update = useUpdateClient(client.id);
  const remove = useDeleteClient(client.id);
  const close = () => setModal(null);
  const refused = client.status === 'refused';
  const owner = client.ownerId ? (userNames.get(client.ownerId) ?? '…') : t('clients.card.noOwner');
  const KindIcon = client.kind === 'company' ? IconBuilding : IconUser;

  const toggleNegative = () =>
    update.mutate(
      { negativeFeedback: !client.negativeFeedback, version: client.version },
      {
        onSuccess: (saved) => notifySuccess(saved.negativeFeedback ? t('clients.card.negativeMarked') : t('clients.card.negativeUnmarked')),
        onError: notifyError,
      },
    );

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: t('clients.delete.title'),
      children: <Text size="sm">{t('clients.delete.text', { name: client.name })}</Text>,
      labels: { confirm: t('clients.delete.confirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(undefined, {
          onSuccess: () => {
            notifySuccess(t('clients.delete.done'));
            navigate('/clients');
          },
          onError: notifyError,
        }),
    });

  const size = wide ? 'sm' : 'xs';
  const actions = canEdit ? (
    <Group gap="xs" wrap="wrap">
      {refused ? (
        <Button
          color="green"
          variant="light"
          size={size}
          leftSection={<IconRefresh size={16} />}
          loading={reactivate.isPending}
          onClick={() =>
            reactivate.mutate(
              { version: client.version },
              { onSuccess: () => notifySuccess(t('clients.card.reactivated')), onError: notifyError },
            )
          }
        >
          {t('clients.card.reactivate')}
        </Button>
      ) : (
        <Button color="red" variant="light" size={size} leftSection={<IconBan size={16} />} onClick={() => setModal('refusal')}>
          {t('clients.card.refuse')}
        </Button>
      )}
      <Button variant="default" size={size} leftSection={<IconPencil size={16} />} onClick={() => setModal('edit')}>
        {t('clients.card.edit')}
      </Button>
      <Menu position="bottom-end">
        <Menu.Target>
          <ActionIcon variant="default" size={wide ? 36 : 30} aria-label={t('clients.card.more')} title={t('clients.card.more')}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconMoodSad size={16} />} onClick={toggleNegative}>
            {client.negativeFeedback ? t('clients.card.unmarkNegative') : t('clients.card.markNegative')}
          </Menu.Item>
          {manage ? (
            <>
              <Menu.Item leftSection={<IconUserShare size={16} />} onClick={() => setModal('reassign')}>
                {t('clients.card.reassign')}
              </Menu.Item>
              <Menu.Item leftSection={<IconArrowsJoin size={16} />} onClick={() => setModal('merge')}>
                {t('clients.card.merge')}
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={confirmDelete}>
                {t('clients.card.delete')}
              </Menu.Item>
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
    </Group>
  ) : (
    <Badge variant="outline" color="gray">
      {t('clients.card.readOnly')}
    </Badge>
  );

  const requisites = (bare?: boolean) => (
    <RequisitesPanel client={client} bare={bare} onEdit={canEdit ? () => setModal('edit') : undefined} />
  );
  const contacts = (bare?: boolean) => <ContactsPanel clientId={client.id} canEdit={canEdit} bare={bare} />;
  const deals = (bare?: boolean) => <DealsPanel clientId={client.id} bare={bare} />;
  const tasks = (bare?: boolean) => <TasksPanel clientId={client.id} canEdit={canEdit} bare={bare} />;
  const timeline = (bare?: boolean) => <TimelinePanel clientId={client.id} canComment={canEdit} bare={bare} />;
  const reviews = () => <ClientReviewsPanel clientId={client.id} canAdd={canEdit} />;

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to="/clients" size="sm" c="dimmed">
          <Group gap={4} wrap="nowrap">
            <IconArrowLeft size={14} />
            {t('clients.back')}
          </Group>
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={6} gap="sm">
          <Stack gap={6} style={{ minWidth: 0, flex: '1 1 320px' }}>
            <Group gap="xs" wrap="nowrap" align="center">
              <KindIcon
                size={22}
                stroke={1.6}
                aria-label={t(`clients.kind.${client.kind}`)}
                style={{ flex: 'none', color: 'var(--mantine-color-dimmed)' }}
              />
              <Title order={2} style={{ overflowWrap: 'anywhere' }}>
                {client.name}
              </Title>
            </Group>
            <ClientBadges client={client} size="md" />
            <Text size="sm" c="dimmed">
              {t('clients.card.owner')}:{' '}
              <Text span c="var(--mantine-color-text)" fw={500}>
                {owner}
              </Text>
              {' · '}
              {t('clients.card.created', { date: formatDate(client.createdAt) })}
            </Text>
            <QuickContacts client={client} />
          </Stack>
          {actions}
        </Group>
      </div>

      {refused ? <RefusalBanner client={client} /> : null}

      {wide ? (
        <Grid gap="md">
          <Grid.Col span={5}>
            <Stack gap="md">
              {contacts()}
              {deals()}
              {reviews()}
              {tasks()}
              {requisites()}
            </Stack>
          </Grid.Col>
          <Grid.Col span={7}>{timeline()}</Grid.Col>
        </Grid>
      ) : (
        <Tabs defaultValue="timeline" keepMounted={false}>
          <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }} mb="md">
            {(['timeline', 'requisites', 'contacts', 'deals', 'tasks'] as const).map((tab) => (
              <Tabs.Tab key={tab} value={tab} px={6} fz={13} style={{ flex: '1 0 auto' }}>
                {t(`clients.card.${tab}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="timeline">{timeline(true)}</Tabs.Panel>
          <Tabs.Panel value="requisites">{requisites(true)}</Tabs.Panel>
          <Tabs.Panel value="contacts">{contacts(true)}</Tabs.Panel>
          <Tabs.Panel value="deals">
            <Stack gap="md">
              {deals(true)}
              {reviews()}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="tasks">{tasks(true)}</Tabs.Panel>
        </Tabs>
      )}

      <ClientFormModal opened={modal === 'edit'} onClose={close} client={client} reload={reload} />
      <RefusalModal opened={modal === 'refusal'} onClose={close} client={client} />
      {manage ? (
        <>
          <ReassignModal opened={modal === 'reassign'} onClose={close} client={client} />
          <MergeModal opened={modal === 'merge'} onClose={close} client={client} />
        </>
      ) : null}
    </Stack>
  );
}

/** `/clients/:id`: the client card. */
export function ClientCardPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const client = useClient(id);

  // deleted or merged elsewhere while open
  useLiveEvent('client.deleted', (data) => {
    if (data?.id !== id || deletedHere.has(id)) return;
    queryClient.removeQueries({ queryKey: clientKeys.one(id) });
    if (data.mergedInto) {
      notifySuccess(t('clients.card.mergedElsewhere'));
      navigate(`/clients/${encodeURIComponent(data.mergedInto)}`, { replace: true });
    } else {
      notifySuccess(t('clients.card.deletedElsewhere'));
      navigate('/clients', { replace: true });
    }
  });

  if (client.isPending) return <PageLoader />;
  if (client.isError) {
    if (isApiError(client.error, 404)) {
      return (
        <Stack align="center" gap="sm" py={64} ta="center">
          <Title order={2}>{t('clients.card.notFoundTitle')}</Title>
          <Text c="dimmed" maw={420}>
            {t('clients.card.notFound')}
          </Text>
          <Button component={Link} to="/clients" variant="light" mt="sm">
            {t('clients.card.toList')}
          </Button>
        </Stack>
      );
    }
    return <QueryError error={client.error} onRetry={() => void client.refetch()} />;
  }
  return <ClientCard client={client.data} reload={async () => (await client.refetch()).data} />;
}
