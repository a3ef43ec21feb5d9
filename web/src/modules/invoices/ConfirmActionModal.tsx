import { useState } from 'react';
import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useCancelInvoice, useReissueInvoice, type Invoice } from './api';

export type InvoiceAction = 'cancel' | 'reissue';

interface Props {
  invoice: Invoice;
  action: InvoiceAction | null;
  onClose: () => void;
}

function ConfirmForm({ invoice, action, onClose }: Props & { action: InvoiceAction }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cancel = useCancelInvoice();
  const reissue = useReissueInvoice();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message: string; stale: boolean } | null>(null);
  const pending = cancel.isPending || reissue.isPending;

  const submit = async () => {
    setError(null);
    const body = { id: invoice.id, version: invoice.version, reason: reason.trim() || undefined };
    try {
      if (action === 'cancel') {
        await cancel.mutateAsync(body);
        notifySuccess(t('invoices.confirm.cancelDone'));
        onClose();
      } else {
        const created = await reissue.mutateAsync(body);
        notifySuccess(t('invoices.confirm.reissueDone', { number: created.number }));
        onClose();
        navigate(`/invoices/${encodeURIComponent(created.id)}`);
      }
    } catch (e) {
      setError({ message: errorMessage(e), stale: isApiError(e, 409) });
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm">{t(action === 'cancel' ? 'invoices.confirm.cancelText' : 'invoices.confirm.reissueText')}</Text>
      {error ? (
        <Alert color={error.stale ? 'orange' : 'red'} variant="light" role="alert">
          {error.message}
          {error.stale ? (
            <Text size="sm" mt={4} c="dimmed">
              {t('invoices.confirm.staleHint')}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <Textarea
        label={t('invoices.confirm.reason')}
        placeholder={t('invoices.confirm.reasonPlaceholder')}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={1000}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('invoices.confirm.back')}
        </Button>
        <Button color={action === 'cancel' ? 'red' : 'orange'} onClick={() => void submit()} loading={pending}>
          {t(action === 'cancel' ? 'invoices.confirm.cancelSubmit' : 'invoices.confirm.reissueSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}

/** «Отменить счёт» / «Перевыставить» with an optional reason; 409 (someone changed it) and 422 (has payments) shown. */
export function ConfirmActionModal({ invoice, action, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal
      opened={action !== null}
      onClose={onClose}
      title={
        action ? t(action === 'cancel' ? 'invoices.confirm.cancelTitle' : 'invoices.confirm.reissueTitle', { number: invoice.number }) : ''
      }
    >
      {action ? <ConfirmForm invoice={invoice} action={action} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
