import { forwardRef, type HTMLAttributes } from 'react';
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconClock, IconLock, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DealSummary } from '../../../../common/api/deals';
import { formatDateRu } from '../../../../common/dates';
import { daysInStage, formatDaysInStage, formatMoney, STATUS_COLOR } from './format';
import classes from './deals.module.css';

interface Props extends HTMLAttributes<HTMLDivElement> {
  deal: DealSummary;
  locked?: boolean;
  dragging?: boolean;
  overlay?: boolean;
}

/** A deal on the kanban: title, client, amount, owner, days in the stage. */
export const DealCard = forwardRef<HTMLDivElement, Props>(function DealCard({ deal, locked, dragging, overlay, className, ...rest }, ref) {
  const { t } = useTranslation();
  const days = daysInStage(deal.stageEnteredAt);
  const stale = deal.status === 'open' && days >= 14;
  const classNames = [
    classes.card,
    locked && classes.cardLocked,
    dragging && classes.cardDragging,
    overlay && classes.cardOverlay,
    className,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div ref={ref} className={classNames} data-deal-id={deal.id} data-testid="deal-card" {...rest}>
      <Link to={`/deals/${deal.id}`} className={classes.cardTitle} draggable={false} onClick={(event) => event.stopPropagation()}>
        {deal.title}
      </Link>
      <Text size="xs" c="dimmed" truncate mt={2}>
        {deal.clientName}
      </Text>
      <Group justify="space-between" mt={6} gap={6} wrap="nowrap">
        <Text size="sm" fw={600} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(deal.amount)}
        </Text>
        {deal.status !== 'open' ? (
          <Badge size="xs" variant="light" color={STATUS_COLOR[deal.status]} leftSection={<IconLock size={10} />}>
            {t(`deals.status.${deal.status}`)}
          </Badge>
        ) : null}
      </Group>
      <Group justify="space-between" mt={6} gap={6} wrap="nowrap">
        <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
          <IconUser size={13} stroke={1.6} color="var(--mantine-color-gray-6)" style={{ flexShrink: 0 }} />
          <Text size="xs" c="dimmed" truncate>
            {deal.ownerName ?? t('deals.card.noOwner')}
          </Text>
        </Group>
        {deal.status === 'open' ? (
          <Tooltip label={t('deals.card.inStage', { date: formatDateRu(deal.stageEnteredAt) })} withArrow openDelay={300}>
            <Group gap={3} wrap="nowrap" style={{ flexShrink: 0 }}>
              <IconClock size={13} stroke={1.6} color={stale ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-gray-6)'} />
              <Text size="xs" c={stale ? 'orange.8' : 'dimmed'} className="tabular-nums">
                {formatDaysInStage(deal.stageEnteredAt)}
              </Text>
            </Group>
          </Tooltip>
        ) : null}
      </Group>
    </div>
  );
});
