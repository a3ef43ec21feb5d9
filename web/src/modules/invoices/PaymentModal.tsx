import { useState } from 'react';
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconCoins } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { parseMoney } from '../../../../common/money';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useAddPayment, type Invoice } from './api';
import { formatMoney, formatMoneyPlain, outstandingOf, todayIso } from './format';

interface Props {
  invoice: Invoice;
  opened: boolean;
  onClose: () => void;
}

function PaymentForm({ invoice, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const add = useAddPayment();
  const remaining = outstandingOf(invoice);
  const [amountText, setAmountText] = useState(remaining > 0 ? formatMoneyPlain(remaining) : '');
  const [paidAt, setPaidAt] = useState<string | null>(todayIso());
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  /** The 422 overpayment: the server's message; the user may confirm the surplus as credit. */
  const [overpayment, setOverpayment] = useState<string | null>(null);

  const amount = parseMoney(amountText);
  const amountError = (): string | null => {
    if (amount === null) return t('invoices.pay.amountInvalid');
    if (amount <= 0) return t('invoices.pay.amountPositive');
    return null;
  };

  const submit = async (confirmCredit = false) => {
    setFormError(null);
    const local: Record<string, string> = {};
    const bad = amountError();
    if (bad) local.amount = bad;
    if (!paidAt) local.paidAt = t('validation.required');
    setErrors(local);
    if (Object.keys(local).length > 0 || amount === null || !paidAt) return;
    try {
      const result = await add.mutateAsync({
        id: invoice.id,
        amount,
        paidAt,
        reference: reference.trim() || undefined,
        ...(confirmCredit ? { confirmCredit: true } : {}),
      });
      notifySuccess(
        confirmCredit ? t('invoices.pay.creditDone') : result.status === 'paid' ? t('invoices.pay.paidDone') : t('invoices.pay.done'),
      );
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'overpayment') {
        setOverpayment(error.message.replace(/\s*\(confirmCredit\)/, ''));
        return;
      }
      if (error instanceof ApiError && error.fields) {
        const fieldErrors: Record<string, string> = {};
        const rest: string[] = [];
        for (const [path, message] of Object.entries(error.fields)) {
          if (path === 'amount' || path === 'paidAt' || path === 'reference') fieldErrors[path] = message;
          else rest.push(message);
        }
        setErrors(fieldErrors);
        setFormError(rest.length > 0 || error.status !== 400 ? errorMessage(error) : null);
        return;
      }
      setFormError(errorMessage(error));
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      <Stack gap="md">
        <FormError message={formError} />
        <TextInput
          label={t('invoices.pay.amount')}
          description={t('invoices.pay.amountHint', { amount: formatMoney(remaining) })}
          inputMode="decimal"
          autoComplete="off"
          value={amountText}
          onChange={(event) => {
            setAmountText(event.currentTarget.value);
            setOverpayment(null);
            setErrors((prev) => ({ ...prev, amount: '' }));
          }}
          onBlur={() => {
            if (amount !== null && amount > 0) setAmountText(formatMoneyPlain(amount));
          }}
          error={errors.amount || undefined}
          data-autofocus
          required
        />
        <DatePickerInput
          label={t('invoices.pay.date')}
          valueFormat="DD.MM.YYYY"
          value={paidAt}
          onChange={(value) => setPaidAt(value ? String(value).slice(0, 10) : null)}
          maxDate={todayIso()}
          error={errors.paidAt || undefined}
          required
        />
        <TextInput
          label={t('invoices.pay.reference')}
          placeholder={t('invoices.pay.referencePlaceholder')}
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
          error={errors.reference || undefined}
          maxLength={500}
        />
        {overpayment ? (
          <Alert color="orange" variant="light" title={t('invoices.pay.overTitle')} role="alert" data-testid="overpayment">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{overpayment}</Text>
              <Text size="sm" c="dimmed">
                {t('invoices.pay.creditHint', { remaining: formatMoney(remaining) })}
              </Text>
              <Button
                size="xs"
                color="orange"
                variant="light"
                leftSection={<IconCoins size={16} />}
                onClick={() => void submit(true)}
                loading={add.isPending}
              >
                {t('invoices.pay.confirmCredit')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={add.isPending && !overpayment}>
            {t('invoices.pay.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Внести оплату»: amount in rubles (prefilled with what is outstanding), date, payment order; overpayment → credit. */
export function PaymentModal({ invoice, opened, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('invoices.pay.title', { number: invoice.number })}>
      {opened ? <PaymentForm invoice={invoice} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
