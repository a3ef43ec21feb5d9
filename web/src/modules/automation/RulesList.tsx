import { ActionIcon, Badge, Group, Menu, Paper, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconDots, IconEye, IconHistory, IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { notifyError, notifySuccess } from '../../ui/notify';
import type { AutomationRule } from '../../../../common/api/automation';
import { useDeleteRule, usePatchRule } from './api';
import { describeActions, describeConditions, describeTrigger, type Lookup } from './describe';

interface Props {
  rules: AutomationRule[];
  look: Lookup;
  canEdit: boolean;
  onOpen: (rule: AutomationRule) => void;
}

function useRuleActions() {
  const { t } = useTranslation();
  const patch = usePatchRule();
  const remove = useDeleteRule();
  const toggle = (rule: AutomationRule, enabled: boolean) =>
    patch.mutate(
      { id: rule.id, enabled, version: rule.version },
      {
        onSuccess: (saved) =>
          notifySuccess(saved.enabled ? t('automation.enabledOn', { name: saved.name }) : t('automation.enabledOff', { name: saved.name })),
        onError: notifyError,
      },
    );
  const confirmDelete = (rule: AutomationRule) =>
    modals.openConfirmModal({
      title: t('automation.deleteTitle'),
      children: <Text size="sm">{t('automation.deleteText', { name: rule.name })}</Text>,
      labels: { confirm: t('automation.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(rule.id, { onSuccess: () => notifySuccess(t('automation.deleted')), onError: notifyError }),
    });
  return { toggle, confirmDelete, pendingId: patch.isPending ? patch.variables?.id : undefined };
}

function RuleMenu({
  rule,
  canEdit,
  onOpen,
  onDelete,
}: {
  rule: AutomationRule;
  canEdit: boolean;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('common.actions')} onClick={(e) => e.stopPropagation()}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
        <Menu.Item leftSection={canEdit ? <IconPencil size={16} /> : <IconEye size={16} />} onClick={onOpen}>
          {canEdit ? t('automation.edit') : t('automation.view')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconHistory size={16} />}
          onClick={() => navigate(`/settings/automation/runs?rule=${encodeURIComponent(rule.id)}`)}
        >
          {t('automation.log')}
        </Menu.Item>
        {canEdit && !rule.system ? (
          <>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
              {t('automation.delete')}
            </Menu.Item>
          </>
        ) : null}
      </Menu.Dropdown>
    </Menu>
  );
}

function NameCell({ rule }: { rule: AutomationRule }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
        {rule.name}
      </Text>
      {rule.system ? (
        <Tooltip label={t('automation.systemHint')} multiline w={260}>
          <Badge size="xs" variant="light" color="gray">
            {t('automation.system')}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}

/** The rules: name, trigger, conditions and actions in Russian, the on/off switch; a click opens the editor. */
export function RulesList({ rules, look, canEdit, onOpen }: Props) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const actions = useRuleActions();
  const taskType = (type: string) => t(`automation.taskTypes.${type}`);

  // The row opens the editor on click: the switch (its track is a label) keeps its clicks to itself.
  const enabledSwitch = (rule: AutomationRule) => (
    <div onClick={(e) => e.stopPropagation()}>
      <Switch
        checked={rule.enabled}
        disabled={!canEdit || actions.pendingId === rule.id}
        onChange={(event) => actions.toggle(rule, event.currentTarget.checked)}
        aria-label={rule.enabled ? t('automation.enabled') : t('automation.disabled')}
        color="green"
        data-testid="rule-enabled"
      />
    </div>
  );

  if (phone) {
    return (
      <Stack gap="sm">
        {rules.map((rule) => (
          <Paper
            key={rule.id}
            withBorder
            p="sm"
            radius="md"
            data-testid="rule-row"
            style={{ cursor: 'pointer', opacity: rule.enabled ? 1 : 0.7 }}
            onClick={() => onOpen(rule)}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <NameCell rule={rule} />
              <Group gap={4} wrap="nowrap">
                {enabledSwitch(rule)}
                <RuleMenu rule={rule} canEdit={canEdit} onOpen={() => onOpen(rule)} onDelete={() => actions.confirmDelete(rule)} />
              </Group>
            </Group>
            <Text size="sm" mt={4}>
              <Text span c="dimmed" size="sm">
                {t('automation.col.trigger')}:{' '}
              </Text>
              {describeTrigger(rule, look, t)}
            </Text>
            <Text size="sm" c="dimmed">
              {describeConditions(rule, look, t)}
            </Text>
            <Stack gap={2} mt={4}>
              {describeActions(rule, look, t, taskType).map((line, i) => (
                <Text key={i} size="sm">
                  → {line}
                </Text>
              ))}
            </Stack>
          </Paper>
        ))}
      </Stack>
    );
  }

  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" highlightOnHover data-testid="rules-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="22%">{t('automation.col.name')}</Table.Th>
              <Table.Th w="18%">{t('automation.col.trigger')}</Table.Th>
              <Table.Th w="18%">{t('automation.col.conditions')}</Table.Th>
              <Table.Th>{t('automation.col.actions')}</Table.Th>
              <Table.Th w={70}>{t('automation.col.enabled')}</Table.Th>
              <Table.Th w={44} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.map((rule) => (
              <Table.Tr
                key={rule.id}
                data-testid="rule-row"
                style={{ cursor: 'pointer', opacity: rule.enabled ? 1 : 0.65 }}
                onClick={() => onOpen(rule)}
              >
                <Table.Td>
                  <NameCell rule={rule} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{describeTrigger(rule, look, t)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {describeConditions(rule, look, t)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {describeActions(rule, look, t, taskType).map((line, i) => (
                      <Text key={i} size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {line}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>{enabledSwitch(rule)}</Table.Td>
                <Table.Td>
                  <RuleMenu rule={rule} canEdit={canEdit} onOpen={() => onOpen(rule)} onDelete={() => actions.confirmDelete(rule)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
