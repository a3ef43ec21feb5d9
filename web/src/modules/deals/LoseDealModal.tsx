import { useState } from 'react';
import { Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../api/forms';
import type { Deal, DealSummary } from '../../../../common/api/deals';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useLoseDeal, useLossReasons } from './api';

interface Props {
  deal: Pick<DealSummary, 'id' | 'title'> | null;
  onClose: () => void;
  onDone?: (deal: Deal) => void;
}

function LoseForm({ deal, onClose, onDone }: Props & { deal: Pick<DealSummary, 'id' | 'title'> }) {
  const { t } = useTranslation();
  const reasons = useLossReasons();
  const lose = useLoseDeal();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { reasonId: null as string | null, comment: '' },
    validate: {
      reasonId: (value) => (value ? null : t('deals.lose.reasonRequired')),
      comment: (value) => (value.trim() ? null : t('deals.lose.commentRequired')),
    },
  });
  const options = (reasons.data ?? []).filter((reason) => !reason.archived).map((reason) => ({ value: reason.id, label: reason.name }));

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await lose.mutateAsync({ id: deal.id, reasonId: values.reasonId, comment: values.comment.trim() });
      notifySuccess(t('deals.lose.done'));
      onDone?.(result);
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('deals.lose.intro', { title: deal.title })}</Text>
        <FormError message={formError} />
        <Select
          label={t('deals.lose.reason')}
          placeholder={t('deals.lose.reasonPlaceholder')}
          data={options}
          withAsterisk
          data-autofocus
          disabled={reasons.isPending}
          {...form.getInputProps('reasonId')}
        />
        <Textarea
          label={t('deals.lose.comment')}
          placeholder={t('deals.lose.commentPlaceholder')}
          withAsterisk
          autosize
          minRows={3}
          maxRows={8}
          {...form.getInputProps('comment')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={lose.isPending}>
            {t('deals.lose.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Отказ по сделке»: a reason from the dictionary and a comment, both required (POST /deals/:id/lose). */
export function LoseDealModal({ deal, onClose, onDone }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={deal !== null} onClose={onClose} title={t('deals.lose.title')}>
      {deal ? <LoseForm key={deal.id} deal={deal} onClose={onClose} onDone={onDone} /> : null}
    </ResponsiveModal>
  );
}
