import type { ReactNode } from 'react';
import { Alert, Anchor, Button, Code, Grid, Group, Paper, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCircleCheck,
  IconClockHour4,
  IconInbox,
  IconMail,
  IconPhone,
  IconPlayerPlay,
  IconTransform,
  IconTrash,
  IconUserPlus,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { StatusPage } from '../../ui/StatusPage';
import type { LeadDetail } from '../../../../common/api/leads';
import { useLead } from './api';
import { useLeadActions } from './actions';
import {
  EmailLink,
  formatDuration,
  formatWhen,
  leadName,
  LeadStatusBadge,
  mailHref,
  PhoneLink,
  safeHttpUrl,
  SlaBadge,
  telHref,
  useNow,
} from './leadUi';
import { useAccess } from '../../auth/permissions';

/** A label/value row of the card; empty values are left out. */
function Field({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <Text size="sm" c="dimmed" w={150} style={{ flex: '0 0 150px' }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ minWidth: 0, flex: 1, wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </Group>
  );
}

function UrlValue({ value }: { value: string | null }) {
  if (!value) return null;
  const href = safeHttpUrl(value);
  return href ? (
    <Anchor href={href} target="_blank" rel="noopener noreferrer nofollow" size="sm" style={{ wordBreak: 'break-all' }}>
      {value}
    </Anchor>
  ) : (
    <>{value}</>
  );
}

/** The raw body, pretty-printed when it is JSON; shown as text (never as HTML). */
function prettyRaw(raw: string | null): string | null {
  if (!raw) return null;
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

function History({ lead, t, now }: { lead: LeadDetail; t: TFunction; now: number }) {
  const items: { key: string; at: string; icon: ReactNode; color: string; title: string; text?: ReactNode }[] = [];
  items.push({
    key: 'created',
    at: lead.createdAt,
    icon: <IconInbox size={14} />,
    color: 'blue',
    title: t('leads.card.created'),
    text: formatWhen(lead.createdAt),
  });
  if (lead.slaDueAt)
    items.push({
      key: 'sla',
      at: lead.slaDueAt,
      icon: <IconClockHour4 size={14} />,
      color: 'gray',
      title: t('leads.card.slaDue'),
      text: formatWhen(lead.slaDueAt),
    });
  if (lead.escalatedAt)
    items.push({
      key: 'esc',
      at: lead.escalatedAt,
      icon: <IconAlertTriangle size={14} />,
      color: 'red',
      title: t('leads.card.escalated'),
      text: formatWhen(lead.escalatedAt),
    });
  if (lead.firstResponseAt)
    items.push({
      key: 'first',
      at: lead.firstResponseAt,
      icon: <IconPlayerPlay size={14} />,
      color: 'violet',
      title: t('leads.card.firstResponse'),
      text: (
        <>
          {formatWhen(lead.firstResponseAt)}
          {lead.firstResponseMinutes !== null
            ? ` · ${t('leads.card.firstResponseIn', { time: formatDuration(t, lead.firstResponseMinutes) })}`
            : ''}
        </>
      ),
    });
  if (lead.status === 'converted')
    items.push({
      key: 'conv',
      at: lead.updatedAt,
      icon: <IconCircleCheck size={14} />,
      color: 'green',
      title: t('leads.card.convertedAt'),
      text: formatWhen(lead.updatedAt),
    });
  if (lead.status === 'junk')
    items.push({
      key: 'junk',
      at: lead.updatedAt,
      icon: <IconTrash size={14} />,
      color: 'gray',
      title: t('leads.card.junkAt'),
      text: (
        <>
          {formatWhen(lead.updatedAt)}
          {lead.junkReason ? (
            <>
              <br />
              {t('leads.card.junkReason')}: {lead.junkReason}
            </>
          ) : null}
        </>
      ),
    });
  // chronological; the SLA deadline may still lie ahead (then it is the greyed last step)
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const active = items.filter((item) => Date.parse(item.at) <= now).length - 1;
  return (
    <Timeline bulletSize={24} lineWidth={2} active={active} data-testid="lead-history">
      {items.map((item) => (
        <Timeline.Item key={item.key} bullet={item.icon} color={item.color} title={item.title}>
          {item.text ? (
            <Text size="sm" c="dimmed" className="tabular-nums" style={{ wordBreak: 'break-word' }}>
              {item.text}
            </Text>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** `/leads/:id`: every field, UTM, page, referrer, the raw payload, the history and the actions. */
export default function LeadPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const access = useAccess();
  const supervisor = access.beyondOwn('lead');
  const now = useNow(30_000);
  const query = useLead(id);
  const actions = useLeadActions();

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    if (isApiError(query.error, 404)) return <StatusPage title={t('errors.notFoundTitle')} text={t('leads.card.notFound')} />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const lead = query.data;
  const isOpen = lead.status === 'new' || lead.status === 'in_work';
  const tel = telHref(lead);
  const mail = mailHref(lead.email);
  const fields = Object.entries(lead.fields ?? {});
  const raw = prettyRaw(lead.raw);
  const utm = (['source', 'medium', 'campaign', 'term', 'content'] as const).filter((k) => lead.utm[k]);

  return (
    <>
      <Group mb="xs">
        <Anchor component={Link} to="/leads" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={16} />
            {t('leads.card.back')}
          </Group>
        </Anchor>
      </Group>
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 280px' }}>
          <Title order={2} style={{ wordBreak: 'break-word' }} data-testid="lead-title">
            {leadName(t, lead)}
          </Title>
          <Group gap="xs">
            <LeadStatusBadge status={lead.status} />
            <SlaBadge lead={lead} now={now} />
            <Text size="sm" c="dimmed">
              {t(`leads.channel.${lead.channel}`)}
              {lead.formName ? ` · ${lead.formName}` : ''} · {formatWhen(lead.createdAt)}
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          {tel ? (
            <Button component="a" href={tel} variant="light" color="green" leftSection={<IconPhone size={16} />}>
              {t('leads.actions.call')}
            </Button>
          ) : null}
          {mail ? (
            <Button component="a" href={mail} variant="light" leftSection={<IconMail size={16} />}>
              {t('leads.actions.write')}
            </Button>
          ) : null}
          {lead.status === 'new' ? (
            <Button onClick={() => actions.take(lead)} loading={actions.takingId === lead.id}>
              {t('leads.actions.take')}
            </Button>
          ) : null}
          {isOpen ? (
            <>
              <Button color="green" leftSection={<IconTransform size={16} />} onClick={() => actions.convert(lead)}>
                {t('leads.actions.convert')}
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => actions.junk(lead)}>
                {t('leads.actions.junk')}
              </Button>
            </>
          ) : null}
          {lead.dealId ? (
            <Button component={Link} to={`/deals/${lead.dealId}`} variant="light">
              {t('leads.actions.openDeal')}
            </Button>
          ) : null}
          {lead.clientId ? (
            <Button component={Link} to={`/clients/${lead.clientId}`} variant="default">
              {t('leads.actions.openClient')}
            </Button>
          ) : null}
        </Group>
      </Group>

      {lead.status === 'junk' && lead.junkReason ? (
        <Alert color="gray" variant="light" mb="md" title={t('leads.card.junkAt')}>
          {t('leads.card.junkReason')}: {lead.junkReason}
        </Alert>
      ) : null}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="sm">
                {t('leads.card.contacts')}
              </Title>
              <Stack gap={6}>
                <Field label={t('leads.card.name')}>{lead.name}</Field>
                <Field label={t('leads.card.phone')}>{lead.phone || lead.phoneRaw ? <PhoneLink lead={lead} /> : null}</Field>
                <Field label={t('leads.card.phoneRaw')}>
                  {lead.phone && lead.phoneRaw && lead.phoneRaw !== lead.phone ? lead.phoneRaw : null}
                </Field>
                <Field label={t('leads.card.email')}>{lead.email ? <EmailLink email={lead.email} /> : null}</Field>
                <Field label={t('leads.card.company')}>{lead.company}</Field>
                <Field label={t('leads.card.inn')}>{lead.inn}</Field>
                <Field label={t('leads.card.region')}>{lead.region}</Field>
                <Field label={t('leads.card.comment')}>{lead.comment}</Field>
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="sm">
                {t('leads.card.origin')}
              </Title>
              <Stack gap={6}>
                <Field label={t('leads.card.channel')}>{t(`leads.channel.${lead.channel}`)}</Field>
                <Field label={t('leads.card.form')}>
                  {lead.formName && lead.formId && supervisor ? (
                    <Anchor component={Link} to={`/settings/forms/${lead.formId}`} size="sm">
                      {lead.formName}
                    </Anchor>
                  ) : (
                    lead.formName
                  )}
                </Field>
                <Field label={t('leads.card.source')}>{lead.source}</Field>
                <Field label={t('leads.card.pageUrl')}>{lead.pageUrl ? <UrlValue value={lead.pageUrl} /> : null}</Field>
                <Field label={t('leads.card.referrer')}>{lead.referrer ? <UrlValue value={lead.referrer} /> : null}</Field>
                <Field label={t('leads.card.utm')}>
                  {utm.length ? (
                    <Stack gap={2}>
                      {utm.map((k) => (
                        <span key={k}>
                          <Text span size="sm" c="dimmed" ff="monospace">
                            utm_{k}
                          </Text>{' '}
                          {lead.utm[k]}
                        </span>
                      ))}
                    </Stack>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {t('leads.card.noUtm')}
                    </Text>
                  )}
                </Field>
                <Field label={t('leads.card.ip')}>{lead.ip}</Field>
                <Field label={t('leads.card.userAgent')}>
                  {lead.userAgent ? (
                    <Text span size="xs" c="dimmed">
                      {lead.userAgent}
                    </Text>
                  ) : null}
                </Field>
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="sm">
                {t('leads.card.fields')}
              </Title>
              {fields.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('leads.card.noFields')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={360}>
                  <Table striped withTableBorder={false} data-testid="lead-fields">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="35%">{t('leads.card.field')}</Table.Th>
                        <Table.Th>{t('leads.card.value')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {fields.map(([key, value]) => (
                        <Table.Tr key={key}>
                          <Table.Td ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                            {key}
                          </Table.Td>
                          <Table.Td style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Paper>

            <Paper withBorder radius="md" p="md">
              <Title order={4}>{t('leads.card.raw')}</Title>
              <Text size="xs" c="dimmed" mb="sm">
                {t('leads.card.rawHint')}
              </Text>
              {raw ? (
                <Code
                  block
                  data-testid="lead-raw"
                  style={{ maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                >
                  {raw}
                </Code>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('leads.card.noRaw')}
                </Text>
              )}
            </Paper>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Group justify="space-between" mb="xs">
                <Title order={4}>{t('leads.card.assignee')}</Title>
                {supervisor && isOpen ? (
                  <Button size="xs" variant="light" leftSection={<IconUserPlus size={16} />} onClick={() => actions.assign(lead)}>
                    {t('leads.actions.assign')}
                  </Button>
                ) : null}
              </Group>
              <Text fw={500} c={lead.assigneeName ? undefined : 'orange'} data-testid="lead-assignee">
                {lead.assigneeName ?? t('leads.noAssignee')}
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="md">
                {t('leads.card.history')}
              </Title>
              <History lead={lead} t={t} now={now} />
            </Paper>
            {lead.dealId || lead.clientId ? (
              <Paper withBorder radius="md" p="md">
                <Stack gap={6}>
                  {lead.dealId ? (
                    <Field label={t('leads.card.dealLink')}>
                      <Anchor component={Link} to={`/deals/${lead.dealId}`} size="sm">
                        {t('leads.actions.openDeal')}
                      </Anchor>
                    </Field>
                  ) : null}
                  {lead.clientId ? (
                    <Field label={t('leads.card.clientLink')}>
                      <Anchor component={Link} to={`/clients/${lead.clientId}`} size="sm">
                        {t('leads.actions.openClient')}
                      </Anchor>
                    </Field>
                  ) : null}
                </Stack>
              </Paper>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      {actions.modals}
    </>
  );
}
