import { Anchor, Badge, Group, Paper, Rating, Text } from '@mantine/core';
import { IconBrandTelegram, IconMail, IconPhone, IconUser, IconWorld, IconMessage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Review, ReviewSource, Sentiment } from '../../../../common/api/reviews';
import { formatDateTimeRu } from '../../../../common/dates';

export const SENTIMENT_COLOR: Record<Sentiment, string> = { positive: 'green', neutral: 'gray', negative: 'red' };

const SOURCE_ICON: Record<ReviewSource, typeof IconPhone> = {
  call: IconPhone,
  email: IconMail,
  site: IconWorld,
  messenger: IconBrandTelegram,
  other: IconMessage,
};

export function SentimentBadge({ sentiment, size = 'sm' }: { sentiment: Sentiment; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={SENTIMENT_COLOR[sentiment]}
      variant={sentiment === 'negative' ? 'filled' : 'light'}
      size={size}
      data-testid="sentiment-badge"
    >
      {t(`reviews.sentiment.${sentiment}`)}
    </Badge>
  );
}

export function SourceLabel({ source }: { source: ReviewSource }) {
  const { t } = useTranslation();
  const Icon = SOURCE_ICON[source];
  return (
    <Group gap={4} wrap="nowrap">
      <Icon size={14} stroke={1.6} color="var(--mantine-color-gray-6)" />
      <Text size="xs" c="dimmed">
        {t(`reviews.source.${source}`)}
      </Text>
    </Group>
  );
}

/** One review: stars, sentiment, source, date; the text; the client and deal links. */
export function ReviewItem({ review, showClient = true, compact = false }: { review: Review; showClient?: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p={compact ? 'xs' : 'sm'}
      radius="md"
      data-testid="review-item"
      style={review.sentiment === 'negative' ? { borderLeft: '3px solid var(--mantine-color-red-6)' } : undefined}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Rating
            value={review.rating}
            readOnly
            size={compact ? 'xs' : 'sm'}
            aria-label={t('reviews.list.rating', { rating: review.rating })}
          />
          <SentimentBadge sentiment={review.sentiment} size={compact ? 'xs' : 'sm'} />
          {review.source ? <SourceLabel source={review.source} /> : null}
        </Group>
        <Text size="xs" c="dimmed" className="tabular-nums">
          {formatDateTimeRu(review.createdAt)}
        </Text>
      </Group>
      <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={compact ? 4 : undefined}>
        {review.text}
      </Text>
      {showClient || review.dealTitle || (!compact && review.authorName) ? (
        <Group gap="md" mt={6} wrap="wrap">
          {showClient ? (
            <Anchor component={Link} to={`/clients/${encodeURIComponent(review.clientId)}`} size="sm" fw={500}>
              {review.clientName}
            </Anchor>
          ) : null}
          {review.dealId && review.dealTitle ? (
            <Text size="sm" c="dimmed">
              {t('reviews.list.deal')}:{' '}
              <Anchor component={Link} to={`/deals/${encodeURIComponent(review.dealId)}`} size="sm">
                {review.dealTitle}
              </Anchor>
            </Text>
          ) : null}
          {!compact && review.authorName ? (
            <Group gap={4} wrap="nowrap">
              <IconUser size={13} stroke={1.6} color="var(--mantine-color-gray-6)" />
              <Text size="xs" c="dimmed">
                {review.authorName}
              </Text>
            </Group>
          ) : null}
        </Group>
      ) : null}
    </Paper>
  );
}
