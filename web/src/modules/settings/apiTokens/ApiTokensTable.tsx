import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../api/types';
import { formatDateTime } from '../../../ui/format';

interface Props {
  tokens: readonly ApiToken[];
  onRevoke: (token: ApiToken) => void;
}

export function ApiTokensTable({ tokens, onRevoke }: Props) {
  const { t } = useTranslation();
  if (tokens.length === 0) {
    return (
      <Text c="dimmed" py="xl" ta="center">
        {t('apiTokens.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('apiTokens.name')}</Table.Th>
            <Table.Th>{t('apiTokens.createdAt')}</Table.Th>
            <Table.Th>{t('apiTokens.lastUsedAt')}</Table.Th>
            <Table.Th w={120}>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td fw={500}>{token.name}</Table.Td>
              <Table.Td className="tabular-nums">{formatDateTime(token.createdAt)}</Table.Td>
              <Table.Td className="tabular-nums">
                {token.lastUsedAt ? (
                  formatDateTime(token.lastUsedAt)
                ) : (
                  <Text span c="dimmed" size="sm">
                    {t('apiTokens.never')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Button
                  variant="subtle"
                  color="red"
                  size="compact-sm"
                  leftSection={<IconTrash size={16} />}
                  onClick={() => onRevoke(token)}
                >
                  {t('apiTokens.revoke')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
