import './i18n';
import { useMemo, useState } from 'react';
import { Button, Group, Input, Rating, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import {
  reviewSources,
  sentimentOfRating,
  sentiments,
  type Review,
  type ReviewSource,
  type Sentiment,
} from '../../../../common/api/reviews';
import { useClientBrief, useClientDeals, useClientSearch, useCreateReview } from './api';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** A client chosen in advance (the client card): the picker is locked to it. */
  clientId?: string;
  dealId?: string;
  onCreated?: (review: Review) => void;
}

/** «Клиент»: a searchable select over GET /clients?q=. */
export function ClientPicker({
  value,
  onChange,
  error,
  label,
  placeholder,
  required,
  disabled,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ id: string; label: string } | null>(null);
  const [q] = useDebouncedValue(search, 250);
  const preset = useClientBrief(value && picked?.id !== value ? value : null);
  // After a pick the input shows the client's label: that is not a search.
  const shownLabel = value ? (picked?.id === value ? picked.label : preset.data?.name) : undefined;
  const clients = useClientSearch(q === shownLabel ? '' : q, !disabled);
  const data = useMemo(() => {
    const items = (clients.data ?? []).map((client) => ({
      value: client.id,
      label: client.inn ? `${client.name} · ИНН ${client.inn}` : client.name,
    }));
    const selected = picked?.id === value ? picked : preset.data ? { id: preset.data.id, label: preset.data.name } : null;
    if (selected && !items.some((item) => item.value === selected.id)) items.unshift({ value: selected.id, label: selected.label });
    return items;
  }, [clients.data, picked, preset.data, value]);

  return (
    <Select
      label={label}
      placeholder={placeholder}
      withAsterisk={required}
      searchable
      clearable={!disabled}
      disabled={disabled}
      data={data}
      value={value}
      error={error}
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={clients.isFetching ? t('app.loading') : t('reviews.form.clientNothing')}
      onChange={(id, option) => {
        setPicked(id && option ? { id, label: option.label } : null);
        onChange(id);
      }}
    />
  );
}

function NewReviewForm({ onClose, clientId, dealId, onCreated }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const create = useCreateReview();
  const [formError, setFormError] = useState<string | null>(null);
  const [sentimentTouched, setSentimentTouched] = useState(false);
  const form = useForm({
    initialValues: {
      clientId: clientId ?? (null as string | null),
      dealId: dealId ?? (null as string | null),
      rating: 0,
      sentiment: null as Sentiment | null,
      text: '',
      source: 'call' as ReviewSource | null,
    },
    validate: {
      clientId: (value) => (value ? null : t('reviews.form.clientRequired')),
      rating: (value) => (value >= 1 && value <= 5 ? null : t('reviews.form.ratingRequired')),
      text: (value) => (value.trim() ? null : t('reviews.form.textRequired')),
    },
  });
  const deals = useClientDeals(form.values.clientId);
  const dealOptions = (deals.data ?? []).map((deal) => ({ value: deal.id, label: `${deal.title} · ${deal.stageName}` }));
  const sentiment = form.values.sentiment ?? (form.values.rating ? sentimentOfRating(form.values.rating) : null);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const review = await create.mutateAsync({
        clientId: values.clientId!,
        dealId: values.dealId ?? null,
        rating: values.rating,
        ...(sentimentTouched && values.sentiment ? { sentiment: values.sentiment } : {}),
        text: values.text.trim(),
        source: values.source ?? null,
      });
      notifySuccess(review.sentiment === 'negative' ? t('reviews.form.savedNegative') : t('reviews.form.saved'));
      onCreated?.(review);
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <ClientPicker
          label={t('reviews.form.client')}
          placeholder={t('reviews.form.clientPlaceholder')}
          required
          disabled={Boolean(clientId)}
          value={form.values.clientId}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('dealId', null);
          }}
          error={form.errors.clientId as string | undefined}
        />
        <Select
          label={t('reviews.form.deal')}
          placeholder={
            !form.values.clientId
              ? t('reviews.form.dealFirst')
              : deals.isSuccess && dealOptions.length === 0
                ? t('reviews.form.dealNone')
                : t('reviews.form.dealPlaceholder')
          }
          data={dealOptions}
          clearable
          disabled={!form.values.clientId || dealOptions.length === 0}
          {...form.getInputProps('dealId')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Input.Wrapper label={t('reviews.form.rating')} withAsterisk error={form.errors.rating}>
            <Rating
              size="lg"
              mt={4}
              value={form.values.rating}
              onChange={(value) => {
                form.setFieldValue('rating', value);
                if (!sentimentTouched) form.setFieldValue('sentiment', null);
                form.clearFieldError('rating');
              }}
              aria-label={t('reviews.form.rating')}
              getSymbolLabel={(value) => t('reviews.form.star', { value })}
              data-testid="rating-input"
            />
          </Input.Wrapper>
          <Select
            label={t('reviews.form.source')}
            placeholder={t('reviews.form.sourcePlaceholder')}
            data={reviewSources.map((s) => ({ value: s, label: t(`reviews.source.${s}`) }))}
            clearable
            {...form.getInputProps('source')}
          />
        </SimpleGrid>
        <Input.Wrapper
          label={t('reviews.form.sentiment')}
          description={!sentimentTouched && form.values.rating ? t('reviews.form.sentimentAuto') : undefined}
          error={form.errors.sentiment}
        >
          <SegmentedControl
            mt={4}
            fullWidth
            value={sentiment ?? ''}
            color={sentiment === 'negative' ? 'red' : sentiment === 'positive' ? 'green' : 'gray'}
            onChange={(value) => {
              setSentimentTouched(true);
              form.setFieldValue('sentiment', value as Sentiment);
            }}
            data={sentiments.map((s) => ({ value: s, label: t(`reviews.sentiment.${s}`) }))}
            aria-label={t('reviews.form.sentiment')}
          />
        </Input.Wrapper>
        <Textarea
          label={t('reviews.form.text')}
          placeholder={t('reviews.form.textPlaceholder')}
          withAsterisk
          autosize
          minRows={3}
          maxRows={10}
          maxLength={5000}
          {...form.getInputProps('text')}
        />
        {sentiment === 'negative' ? (
          <Text size="sm" c="red.8">
            {t('reviews.form.negativeHint')}
          </Text>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('reviews.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Новый отзыв»: client, deal of that client, rating 1–5, sentiment (from the rating, changeable), text, source. */
export function NewReviewModal({ opened, onClose, ...rest }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('reviews.form.title')} size="lg">
      {opened ? <NewReviewForm onClose={onClose} {...rest} /> : null}
    </ResponsiveModal>
  );
}
