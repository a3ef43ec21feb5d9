import { Anchor, Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccess } from '../../auth/permissions';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { useWebForms } from './api';

/** Настройки → Веб-формы: every form with its assignment, SLA and allowed sites. */
export default function FormsListPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const canEdit = access.can('form', 'write');
  const forms = useWebForms();

  return (
    <>
      <PageHeader
        title={t('webForms.title')}
        description={t('webForms.description')}
        actions={
          canEdit ? (
            <Button component={Link} to="/settings/forms/new" leftSection={<IconPlus size={18} />}>
              {t('webForms.add')}
            </Button>
          ) : null
        }
      />
      <Paper p={0} radius="md" withBorder>
        {forms.isPending ? (
          <PageLoader />
        ) : forms.isError ? (
          <QueryError error={forms.error} onRetry={() => void forms.refetch()} />
        ) : forms.data.length === 0 ? (
          <Text c="dimmed" py="xl" px="md" ta="center">
            {t('webForms.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webForms.columns.name')}</Table.Th>
                  <Table.Th>{t('webForms.columns.strategy')}</Table.Th>
                  <Table.Th>{t('webForms.columns.sla')}</Table.Th>
                  <Table.Th>{t('webForms.columns.origins')}</Table.Th>
                  <Table.Th>{t('webForms.columns.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {forms.data.map((form) => (
                  <Table.Tr key={form.id} c={form.active ? undefined : 'dimmed'}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/forms/${form.id}`} fw={600}>
                        {form.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm">{t(`webForms.strategy.${form.assignment.strategy}`)}</Text>
                        <Text size="xs" c="dimmed">
                          {t('webForms.managersCount', { count: form.assignment.userIds.length })}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td className="tabular-nums">{t('webForms.minutes', { count: form.slaMinutes })}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: 'break-all' }}>
                        {form.allowedOrigins.length ? form.allowedOrigins.join(', ') : t('webForms.anyOrigin')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={form.active ? 'green' : 'gray'}>
                        {form.active ? t('webForms.active') : t('webForms.inactive')}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
