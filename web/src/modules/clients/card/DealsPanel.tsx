import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatMoney } from '../../../ui/format';
import { useClientDeals, type DealSummary } from '../api';
import { formatDate } from '../format';
import { PanelBody, Section } from './Section';

const STATUS_COLOR: Record<DealSummary['status'], string> = { open: 'blue', won: 'green', lost: 'red' };

/** «Сделки» of the client (read-only here; the deal card is at /deals/:id). */
export function DealsPanel({ clientId, bare }: { clientId: string; bare?: boolean }) {
  const { t } = useTranslation();
  const deals = useClientDeals(clientId);
  const items = deals.data?.items ?? [];

  return (
    <Section title={t('clients.card.deals')} count={items.length} bare={bare}>
      <PanelBody query={deals} isEmpty={items.length === 0} empty={t('clients.deals.empty')}>
        <Stack gap="xs">
          {items.map((deal) => (
            <Group key={deal.id} justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/deals/${encodeURIComponent(deal.id)}`} size="sm" fw={500}>
                  {deal.title}
                </Anchor>
                <Group gap={6} mt={2}>
                  <Badge size="xs" variant="light" color={STATUS_COLOR[deal.status]}>
                    {deal.status === 'open' ? deal.stageName : t(`clients.deals.status.${deal.status}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {formatDate(deal.createdAt)}
                    {deal.ownerName ? ` · ${deal.ownerName}` : ''}
                  </Text>
                </Group>
              </div>
              <Text size="sm" fw={500} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(deal.amount)}
              </Text>
            </Group>
          ))}
        </Stack>
      </PanelBody>
    </Section>
  );
}
