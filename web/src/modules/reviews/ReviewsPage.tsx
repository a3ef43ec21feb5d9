import './i18n';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Button, Center, Collapse, Group, Loader, Paper, Select, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconAdjustmentsHorizontal, IconPlus, IconStarFilled, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { PageHeader } from '../../ui/PageHeader';
import { ExportMenu } from '../../ui/ExportMenu';
import { QueryError } from '../../ui/QueryError';
import { reviewSources, sentiments, type ReviewSource, type ReviewsSummary, type Sentiment } from '../../../../common/api/reviews';
import { REVIEWS_KEY, useReviews, useReviewsSummary, type ReviewFilters } from './api';
import { ClientPicker, NewReviewModal } from './NewReviewModal';
import { ReviewItem } from './ReviewItem';

const SentimentDonut = lazy(() => import('./SentimentDonut'));

const rating = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 });
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readFilters(params: URLSearchParams): ReviewFilters {
  const sentiment = params.get('sentiment');
  const source = params.get('source');
  const from = params.get('from');
  const to = params.get('to');
  return {
    sentiment: sentiments.includes(sentiment as Sentiment) ? (sentiment as Sentiment) : undefined,
    source: reviewSources.includes(source as ReviewSource) ? (source as ReviewSource) : undefined,
    from: from && DAY.test(from) ? from : undefined,
    to: to && DAY.test(to) ? to : undefined,
    clientId: params.get('client') || undefined,
  };
}

function Stat({ label, value, testId, color }: { label: string; value: React.ReactNode; testId: string; color?: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Text fw={700} fz={{ base: 20, sm: 26 }} c={color} className="tabular-nums" data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </div>
  );
}

function Summary({ summary, phone }: { summary: ReviewsSummary; phone: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper p="md" radius="md" withBorder data-testid="reviews-summary">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
        <SimpleGrid cols={3} spacing="sm" style={{ alignSelf: 'center' }}>
          <Stat label={t('reviews.summary.count')} value={summary.count} testId="summary-count" />
          <Stat
            label={t('reviews.summary.avg')}
            testId="summary-avg"
            value={
              summary.avgRating === null ? (
                '—'
              ) : (
                <Group gap={4} wrap="nowrap" component="span">
                  {rating.format(summary.avgRating)}
                  <IconStarFilled size={phone ? 18 : 22} color="var(--mantine-color-yellow-5)" />
                </Group>
              )
            }
          />
          <Stat
            label={t('reviews.summary.negativeShare')}
            testId="summary-negative"
            value={percent.format(summary.negativeShare)}
            color={summary.negativeShare > 0 ? 'red.7' : undefined}
          />
        </SimpleGrid>
        {summary.count > 0 ? (
          <Suspense fallback={<Skeleton height={phone ? 250 : 180} />}>
            <SentimentDonut summary={summary} compact={phone} />
          </Suspense>
        ) : (
          <Center>
            <Text size="sm" c="dimmed">
              {t('reviews.summary.noData')}
            </Text>
          </Center>
        )}
      </SimpleGrid>
    </Paper>
  );
}

/** `/reviews`: the review base — filters, summary with the sentiment donut, the list, «Новый отзыв». */
export default function ReviewsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [filtersOpened, filtersToggle] = useDisclosure(false);
  const [range, setRange] = useState<[string | null, string | null]>([filters.from ?? null, filters.to ?? null]);
  useEffect(() => setRange([filters.from ?? null, filters.to ?? null]), [filters.from, filters.to]);
  const newOpened = params.get('new') === '1';

  const reviews = useReviews(filters);
  const summary = useReviewsSummary({ from: filters.from, to: filters.to, clientId: filters.clientId });
  useLiveEvent('review.created', () => void queryClient.invalidateQueries({ queryKey: REVIEWS_KEY }));

  const set = (patch: Record<string, string | null | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(patch)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const active = Boolean(filters.sentiment || filters.source || filters.from || filters.to || filters.clientId);
  const items = reviews.data?.pages.flatMap((p) => p.items) ?? [];

  const filterFields = (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="reviews-filters">
      <Select
        label={t('reviews.filters.sentiment')}
        placeholder={t('reviews.filters.allSentiments')}
        data={sentiments.map((s) => ({ value: s, label: t(`reviews.sentiment.${s}`) }))}
        value={filters.sentiment ?? null}
        onChange={(value) => set({ sentiment: value })}
        clearable
        w={{ base: '100%', xs: 180 }}
      />
      <Select
        label={t('reviews.filters.source')}
        placeholder={t('reviews.filters.allSources')}
        data={reviewSources.map((s) => ({ value: s, label: t(`reviews.source.${s}`) }))}
        value={filters.source ?? null}
        onChange={(value) => set({ source: value })}
        clearable
        w={{ base: '100%', xs: 160 }}
      />
      <DatePickerInput
        type="range"
        label={t('reviews.filters.period')}
        placeholder={t('reviews.filters.periodPlaceholder')}
        valueFormat="DD.MM.YYYY"
        clearable
        allowSingleDateInRange
        value={range}
        onChange={([rawFrom, rawTo]) => {
          const from = rawFrom ? String(rawFrom).slice(0, 10) : null;
          const to = rawTo ? String(rawTo).slice(0, 10) : null;
          setRange([from, to]);
          if (from && !to) return;
          set({ from, to });
        }}
        w={{ base: '100%', xs: 230 }}
      />
      <div style={{ flex: '1 1 240px', maxWidth: phone ? undefined : 320 }}>
        <ClientPicker
          label={t('reviews.filters.client')}
          placeholder={t('reviews.filters.allClients')}
          value={filters.clientId ?? null}
          onChange={(id) => set({ client: id })}
        />
      </div>
      {active ? (
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconX size={16} />}
          onClick={() => set({ sentiment: null, source: null, from: null, to: null, client: null })}
        >
          {t('reviews.filters.reset')}
        </Button>
      ) : null}
    </Group>
  );

  return (
    <>
      <PageHeader
        title={t('reviews.title')}
        description={t('reviews.description')}
        actions={
          <>
            <ExportMenu path="/reviews" query={{ ...filters }} name="reviews" />
            <Button leftSection={<IconPlus size={18} />} onClick={() => set({ new: '1' })}>
              {t('reviews.add')}
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {phone ? (
          <div>
            <Button
              variant={active ? 'light' : 'default'}
              leftSection={<IconAdjustmentsHorizontal size={16} />}
              onClick={filtersToggle.toggle}
              fullWidth
            >
              {t('reviews.filters.show')}
              {active ? ' •' : ''}
            </Button>
            <Collapse expanded={filtersOpened}>
              <Paper p="sm" mt="xs" withBorder>
                {filterFields}
              </Paper>
            </Collapse>
          </div>
        ) : (
          filterFields
        )}

        {summary.isError ? (
          <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
        ) : summary.data ? (
          <Summary summary={summary.data} phone={phone} />
        ) : (
          <Skeleton height={150} radius="md" />
        )}

        {reviews.isPending ? (
          <Center py="xl">
            <Loader />
          </Center>
        ) : reviews.isError ? (
          <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
        ) : items.length === 0 ? (
          <Paper p="xl" withBorder radius="md">
            <Text c="dimmed" ta="center">
              {active ? t('reviews.list.emptyFiltered') : t('reviews.list.empty')}
            </Text>
          </Paper>
        ) : (
          <Stack gap="sm" data-testid="reviews-list">
            {items.map((review) => (
              <ReviewItem key={review.id} review={review} />
            ))}
            {reviews.hasNextPage ? (
              <Center>
                <Button variant="default" loading={reviews.isFetchingNextPage} onClick={() => void reviews.fetchNextPage()}>
                  {t('reviews.list.loadMore')}
                </Button>
              </Center>
            ) : null}
          </Stack>
        )}
      </Stack>
      <NewReviewModal opened={newOpened} onClose={() => set({ new: null })} clientId={undefined} />
    </>
  );
}
