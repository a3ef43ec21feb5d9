import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArchive, IconArrowDown, IconArrowUp, IconCheck, IconPencil, IconPlus, IconRestore, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LossReason } from '../../../../../common/api/clients';
import { errorMessage } from '../../../api/forms';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import '../i18n';
import { useCreateLossReason, useLossReasons, usePatchLossReason } from '../api';

function ReasonRow({ reason, index, count }: { reason: LossReason; index: number; count: number }) {
  const { t } = useTranslation();
  const patch = usePatchLossReason();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(reason.name);
  const [error, setError] = useState<string | null>(null);
  const run = async (input: { name?: string; archived?: boolean; position?: number }) => {
    setError(null);
    try {
      await patch.mutateAsync({ id: reason.id, ...input });
      notifySuccess(t('lossReasonsAdmin.saved'));
      return true;
    } catch (e) {
      if (input.name !== undefined) setError(errorMessage(e));
      else notifyError(e);
      return false;
    }
  };
  return (
    <Table.Tr style={{ opacity: reason.archived ? 0.55 : 1 }} data-testid="loss-reason-row">
      <Table.Td>
        {editing ? (
          <Group gap={4} wrap="nowrap" align="flex-start">
            <TextInput
              size="xs"
              value={name}
              error={error}
              autoFocus
              aria-label={t('lossReasonsAdmin.name')}
              onChange={(event) => setName(event.currentTarget.value)}
              onKeyDown={async (event) => {
                if (event.key === 'Enter' && name.trim() && (await run({ name: name.trim() }))) setEditing(false);
                if (event.key === 'Escape') setEditing(false);
              }}
              style={{ flex: 1, maxWidth: 360 }}
            />
            <ActionIcon
              variant="filled"
              color="brand"
              loading={patch.isPending}
              aria-label={t('common.save')}
              onClick={async () => {
                if (name.trim() && (await run({ name: name.trim() }))) setEditing(false);
              }}
            >
              <IconCheck size={15} />
            </ActionIcon>
            <ActionIcon aria-label={t('common.cancel')} onClick={() => setEditing(false)}>
              <IconX size={15} />
            </ActionIcon>
          </Group>
        ) : (
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={500}>
              {reason.name}
            </Text>
            {reason.archived ? (
              <Badge size="sm" color="gray" variant="light">
                {t('lossReasonsAdmin.archived')}
              </Badge>
            ) : null}
          </Group>
        )}
      </Table.Td>
      <Table.Td w={170}>
        <Group gap={2} justify="flex-end" wrap="nowrap">
          <ActionIcon
            disabled={index === 0 || patch.isPending}
            onClick={() => void run({ position: index - 1 })}
            aria-label={`${t('lossReasonsAdmin.moveUp')}: ${reason.name}`}
            title={t('lossReasonsAdmin.moveUp')}
          >
            <IconArrowUp size={17} stroke={1.6} />
          </ActionIcon>
          <ActionIcon
            disabled={index === count - 1 || patch.isPending}
            onClick={() => void run({ position: index + 1 })}
            aria-label={`${t('lossReasonsAdmin.moveDown')}: ${reason.name}`}
            title={t('lossReasonsAdmin.moveDown')}
          >
            <IconArrowDown size={17} stroke={1.6} />
          </ActionIcon>
          <ActionIcon
            onClick={() => {
              setName(reason.name);
              setError(null);
              setEditing(true);
            }}
            aria-label={`${t('common.edit')}: ${reason.name}`}
            title={t('common.edit')}
          >
            <IconPencil size={17} stroke={1.6} />
          </ActionIcon>
          {reason.archived ? (
            <ActionIcon
              onClick={() => void run({ archived: false })}
              aria-label={`${t('lossReasonsAdmin.restore')}: ${reason.name}`}
              title={t('lossReasonsAdmin.restore')}
            >
              <IconRestore size={17} stroke={1.6} />
            </ActionIcon>
          ) : (
            <ActionIcon
              onClick={() => void run({ archived: true })}
              aria-label={`${t('lossReasonsAdmin.archive')}: ${reason.name}`}
              title={t('lossReasonsAdmin.archive')}
            >
              <IconArchive size={17} stroke={1.6} />
            </ActionIcon>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Настройки → Причины отказа (admin): the dictionary managers pick a refusal reason from. */
export default function LossReasonsPage() {
  const { t } = useTranslation();
  const reasons = useLossReasons();
  const create = useCreateLossReason();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = [...(reasons.data ?? [])].sort((a, b) => a.position - b.position);

  const add = async () => {
    if (!name.trim()) return;
    setError(null);
    try {
      await create.mutateAsync({ name: name.trim() });
      notifySuccess(t('lossReasonsAdmin.created', { name: name.trim() }));
      setName('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeader title={t('lossReasonsAdmin.title')} description={t('lossReasonsAdmin.description')} />
      <Stack gap="md" maw={760}>
        <Group gap="xs" align="flex-start">
          <TextInput
            placeholder={t('lossReasonsAdmin.newPlaceholder')}
            aria-label={t('lossReasonsAdmin.newPlaceholder')}
            value={name}
            error={error}
            onChange={(event) => setName(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') void add();
            }}
            style={{ flex: 1 }}
          />
          <Button leftSection={<IconPlus size={16} />} onClick={() => void add()} loading={create.isPending} disabled={!name.trim()}>
            {t('lossReasonsAdmin.add')}
          </Button>
        </Group>
        <Paper p={0} radius="md">
          {reasons.isPending ? (
            <PageLoader />
          ) : reasons.isError ? (
            <QueryError error={reasons.error} onRetry={() => void reasons.refetch()} />
          ) : list.length === 0 ? (
            <Text c="dimmed" py="xl" ta="center">
              {t('lossReasonsAdmin.empty')}
            </Text>
          ) : (
            <Table highlightOnHover={false}>
              <Table.Tbody>
                {list.map((reason, index) => (
                  <ReasonRow key={reason.id} reason={reason} index={index} count={list.length} />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </Stack>
    </>
  );
}
