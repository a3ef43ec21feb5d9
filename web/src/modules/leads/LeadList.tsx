import { ActionIcon, Anchor, Button, Group, Menu, Paper, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconDots, IconExternalLink, IconMail, IconPhone, IconTransform, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Lead } from '../../../../common/api/leads';
import type { LeadActions } from './actions';
import { EmailLink, formatWhen, leadName, LeadStatusBadge, mailHref, PhoneLink, SlaBadge, telHref } from './leadUi';

interface ListProps {
  leads: Lead[];
  now: number;
  actions: LeadActions;
  canAssign: boolean;
  /** Show the status badge (tabs that mix statuses: «Просрочено» shows only new ones, so not needed there). */
  showStatus: boolean;
}

const open = (lead: Lead) => lead.status === 'new' || lead.status === 'in_work';

function Source({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const source = lead.formName ?? lead.source ?? t(`leads.channel.${lead.channel}`);
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text size="sm" lineClamp={1}>
        {source}
      </Text>
      {lead.utm.campaign ? (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {t('leads.campaign', { campaign: lead.utm.campaign })}
        </Text>
      ) : lead.utm.source ? (
        <Text size="xs" c="dimmed" lineClamp={1}>
          utm_source: {lead.utm.source}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Call / write / take / convert / junk / assign for one lead. */
function RowActions({ lead, actions, canAssign, compact }: { lead: Lead; actions: LeadActions; canAssign: boolean; compact?: boolean }) {
  // in the table the phone and e-mail are links already: the call button stays (the main action), «Написать» only on cards
  const { t } = useTranslation();
  const tel = telHref(lead);
  const mail = mailHref(lead.email);
  const isOpen = open(lead);
  return (
    <Group gap={6} wrap="nowrap" justify={compact ? 'space-between' : 'flex-end'}>
      <Group gap={6} wrap="nowrap">
        {tel ? (
          <Tooltip label={t('leads.actions.call')} withArrow>
            <ActionIcon component="a" href={tel} variant="light" color="green" size="lg" aria-label={t('leads.actions.call')}>
              <IconPhone size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
        {mail && compact ? (
          <Tooltip label={t('leads.actions.write')} withArrow>
            <ActionIcon component="a" href={mail} variant="light" size="lg" aria-label={t('leads.actions.write')}>
              <IconMail size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
      </Group>
      {isOpen ? (
        <Group gap={6} wrap="nowrap">
          {lead.status === 'new' ? (
            <Button size="xs" onClick={() => actions.take(lead)} loading={actions.takingId === lead.id}>
              {t('leads.actions.take')}
            </Button>
          ) : (
            <Button size="xs" color="green" leftSection={<IconTransform size={16} />} onClick={() => actions.convert(lead)}>
              {t('leads.actions.convert')}
            </Button>
          )}
          <Tooltip label={t('leads.actions.junk')} withArrow>
            <ActionIcon variant="subtle" color="red" size="lg" onClick={() => actions.junk(lead)} aria-label={t('leads.actions.junk')}>
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('leads.actions.more')}>
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {lead.status === 'new' ? (
                <Menu.Item leftSection={<IconTransform size={16} />} onClick={() => actions.convert(lead)}>
                  {t('leads.actions.convert')}
                </Menu.Item>
              ) : null}
              {canAssign ? (
                <Menu.Item leftSection={<IconUserPlus size={16} />} onClick={() => actions.assign(lead)}>
                  {t('leads.actions.assign')}
                </Menu.Item>
              ) : null}
              <Menu.Item leftSection={<IconExternalLink size={16} />} component={Link} to={`/leads/${lead.id}`}>
                {t('leads.actions.open')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      ) : lead.dealId ? (
        <Button size="xs" variant="light" component={Link} to={`/deals/${lead.dealId}`}>
          {t('leads.actions.openDeal')}
        </Button>
      ) : null}
    </Group>
  );
}

function NameCell({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const sub = lead.name && lead.company ? lead.company : lead.comment;
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Anchor component={Link} to={`/leads/${lead.id}`} fw={600} lineClamp={1} data-testid="lead-name" style={{ wordBreak: 'break-word' }}>
        {leadName(t, lead)}
      </Anchor>
      {sub ? (
        <Text size="xs" c="dimmed" lineClamp={1} style={{ wordBreak: 'break-word' }}>
          {sub}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The inbox as a table (desktop). */
export function LeadsTable({ leads, now, actions, canAssign, showStatus }: ListProps) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="leads-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('leads.columns.lead')}</Table.Th>
            <Table.Th>{t('leads.columns.contacts')}</Table.Th>
            <Table.Th>{t('leads.columns.source')}</Table.Th>
            <Table.Th>{t('leads.columns.createdSla')}</Table.Th>
            <Table.Th>{t('leads.columns.assignee')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {leads.map((lead) => (
            <Table.Tr key={lead.id} data-testid="lead-row" data-lead-id={lead.id}>
              <Table.Td miw={170} maw={260}>
                <NameCell lead={lead} />
                {showStatus ? (
                  <div style={{ marginTop: 4 }}>
                    <LeadStatusBadge status={lead.status} />
                  </div>
                ) : null}
              </Table.Td>
              <Table.Td miw={150} maw={240}>
                <Stack gap={0}>
                  <PhoneLink lead={lead} />
                  <Text size="sm" lineClamp={1}>
                    <EmailLink email={lead.email} />
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td miw={140} maw={220}>
                <Source lead={lead} />
              </Table.Td>
              <Table.Td miw={160}>
                <Stack gap={4} align="flex-start">
                  <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatWhen(lead.createdAt)}
                  </Text>
                  <SlaBadge lead={lead} now={now} />
                </Stack>
              </Table.Td>
              <Table.Td miw={110}>
                {lead.assigneeName ?? (
                  <Text size="sm" c="orange" fw={500}>
                    {t('leads.noAssignee')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <RowActions lead={lead} actions={actions} canAssign={canAssign} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The inbox as cards (phones). */
export function LeadCards({ leads, now, actions, canAssign, showStatus }: ListProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="leads-cards">
      {leads.map((lead) => (
        <Paper key={lead.id} withBorder radius="md" p="sm" data-testid="lead-row" data-lead-id={lead.id}>
          <Stack gap={6}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <NameCell lead={lead} />
              <SlaBadge lead={lead} now={now} size="sm" />
            </Group>
            <Group gap="xs" wrap="wrap">
              <PhoneLink lead={lead} />
              <EmailLink email={lead.email} />
            </Group>
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <Source lead={lead} />
              <Text size="xs" c="dimmed" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatWhen(lead.createdAt)}
              </Text>
            </Group>
            <Group gap="xs" justify="space-between">
              <Text size="xs" c={lead.assigneeName ? 'dimmed' : 'orange'}>
                {lead.assigneeName ?? t('leads.noAssignee')}
              </Text>
              {showStatus ? <LeadStatusBadge status={lead.status} /> : null}
            </Group>
            <RowActions lead={lead} actions={actions} canAssign={canAssign} compact />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
