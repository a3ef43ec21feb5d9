import './i18n';
import { useState } from 'react';
import { Alert, Button, Paper, Tabs, Text } from '@mantine/core';
import { IconHistory, IconInfoCircle, IconListDetails, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import type { AutomationRule } from '../../../../common/api/automation';
import { usePipelinesForRules, useRules, useUsersForRules } from './api';
import { makeLookup } from './describe';
import { RuleEditorModal } from './RuleEditorModal';
import { RulesList } from './RulesList';
import { RunsLog } from './RunsLog';
import { useAccess } from '../../auth/permissions';

const BASE = '/settings/automation';

/** Настройки → Автоматизация: the rules (admin edits; head and owner read) and the execution log (`/runs`). */
export default function AutomationPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const canEdit = access.can('automation', 'write');
  const location = useLocation();
  const navigate = useNavigate();
  const tab = location.pathname.startsWith(`${BASE}/runs`) ? 'runs' : 'rules';
  const rules = useRules();
  const pipelines = usePipelinesForRules();
  const users = useUsersForRules();
  const look = makeLookup(pipelines.data, users.data);
  const [editor, setEditor] = useState<{ ruleId: string | null } | null>(null);
  // Always the freshest copy, so a save after a refetch carries the current version.
  const editing: AutomationRule | null = editor?.ruleId ? (rules.data?.find((r) => r.id === editor.ruleId) ?? null) : null;

  return (
    <>
      <PageHeader
        title={t('automation.title')}
        description={t('automation.description')}
        actions={
          canEdit && tab === 'rules' ? (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setEditor({ ruleId: null })}>
              {t('automation.add')}
            </Button>
          ) : null
        }
      />
      {!canEdit ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} mb="md">
          {t('automation.readOnly')}
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(value) => navigate(value === 'runs' ? `${BASE}/runs` : BASE)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="rules" leftSection={<IconListDetails size={16} />}>
            {t('automation.tabs.rules')}
          </Tabs.Tab>
          <Tabs.Tab value="runs" leftSection={<IconHistory size={16} />}>
            {t('automation.tabs.runs')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules">
          {rules.isPending ? (
            <PageLoader />
          ) : rules.isError ? (
            <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
          ) : rules.data.length === 0 ? (
            <Paper withBorder p="xl" radius="md">
              <Text c="dimmed" ta="center">
                {t('automation.empty')}
              </Text>
            </Paper>
          ) : (
            <RulesList rules={rules.data} look={look} canEdit={canEdit} onOpen={(rule) => setEditor({ ruleId: rule.id })} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="runs">
          <RunsLog rules={rules.data} look={look} />
        </Tabs.Panel>
      </Tabs>
      <RuleEditorModal opened={editor !== null} rule={editing} readOnly={!canEdit} onClose={() => setEditor(null)} />
    </>
  );
}
