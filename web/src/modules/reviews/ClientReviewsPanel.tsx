import './i18n';
import { useState } from 'react';
import { Anchor, Button, Group, Loader, Rating, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { QueryError } from '../../ui/QueryError';
import { Section } from '../clients/card/Section';
import { REVIEWS_KEY, useReviews, useReviewsSummary } from './api';
import { NewReviewModal } from './NewReviewModal';
import { ReviewItem } from './ReviewItem';
import { useAccess } from '../../auth/permissions';

const SHOWN = 5;
const rating = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

interface Props {
  clientId: string;
  /** Without the frame and title (inside a phone tab). */
  bare?: boolean;
  /** The «Добавить» button (false for read-only viewers of the card). */
  canAdd?: boolean;
}

/**
 * «Отзывы» on the client card: the average rating, the latest reviews, «Добавить» (the «Новый отзыв» form with the
 * client fixed) and a link to the client's reviews in the review base. Renders nothing for roles without reviews.
 */
export function ClientReviewsPanel({ clientId, bare, canAdd = true }: Props) {
  const access = useAccess();
  if (!access.can('review')) return null;
  return <Panel clientId={clientId} bare={bare} canAdd={canAdd} />;
}

function Panel({ clientId, bare, canAdd }: Required<Pick<Props, 'clientId'>> & Pick<Props, 'bare' | 'canAdd'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const reviews = useReviews({ clientId }, SHOWN);
  const summary = useReviewsSummary({ clientId });
  useLiveEvent('review.created', (data) => {
    if (data?.clientId === clientId) void queryClient.invalidateQueries({ queryKey: REVIEWS_KEY });
  });
  const items = reviews.data?.pages[0]?.items ?? [];
  const count = summary.data?.count ?? items.length;

  return (
    <Section
      title={t('reviews.panel.title')}
      count={count}
      bare={bare}
      action={
        canAdd ? (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
            {t('reviews.panel.add')}
          </Button>
        ) : undefined
      }
    >
      <div data-testid="client-reviews">
        {reviews.isPending ? (
          <Loader size="sm" />
        ) : reviews.isError ? (
          <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
        ) : items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('reviews.panel.empty')}
          </Text>
        ) : (
          <Stack gap="xs">
            {summary.data?.avgRating != null ? (
              <Group gap="xs">
                <Rating value={summary.data.avgRating} fractions={4} readOnly size="sm" />
                <Text size="sm" fw={600} className="tabular-nums">
                  {rating.format(summary.data.avgRating)}
                </Text>
                {summary.data.bySentiment.negative > 0 ? (
                  <Text size="sm" c="red.7">
                    · {t('reviews.sentimentPlural.negative').toLowerCase()}: {summary.data.bySentiment.negative}
                  </Text>
                ) : null}
              </Group>
            ) : null}
            {items.map((review) => (
              <ReviewItem key={review.id} review={review} showClient={false} compact />
            ))}
            {count > items.length ? (
              <Anchor component={Link} to={`/reviews?client=${encodeURIComponent(clientId)}`} size="sm">
                {t('reviews.panel.all')} ({count})
              </Anchor>
            ) : null}
          </Stack>
        )}
      </div>
      <NewReviewModal opened={adding} onClose={() => setAdding(false)} clientId={clientId} />
    </Section>
  );
}
