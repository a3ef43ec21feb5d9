import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconMailOff, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useClientEmails, useSendInvoice, type Invoice } from './api';

interface Props {
  invoice: Invoice;
  opened: boolean;
  onClose: () => void;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function SendForm({ invoice, onClose }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const send = useSendInvoice();
  const emails = useClientEmails(invoice.clientId, !invoice.sentTo);
  const [email, setEmail] = useState(invoice.sentTo ?? '');
  const [touched, setTouched] = useState(false);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [smtpMessage, setSmtpMessage] = useState<string | null>(null);

  // Prefill with the client's first e-mail once it arrives (unless the user has typed something).
  useEffect(() => {
    const first = emails.data?.[0];
    if (first && !touched && !email) setEmail(first);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the client's e-mails load
  }, [emails.data]);

  const submit = async () => {
    setFormError(null);
    setSmtpMessage(null);
    const value = email.trim();
    if (!value) return setEmailError(t('invoices.send.emailRequired'));
    if (!EMAIL_RE.test(value)) return setEmailError(t('validation.emailInvalid'));
    setEmailError(null);
    try {
      const result = await send.mutateAsync({ id: invoice.id, email: value });
      notifySuccess(t('invoices.send.done', { email: result.sentTo ?? value }));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'smtp_not_configured') {
        setSmtpMessage(error.message);
        return;
      }
      if (error instanceof ApiError && error.fields?.email) {
        setEmailError(error.fields.email);
        return;
      }
      setFormError(errorMessage(error));
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="md">
        {smtpMessage ? (
          <Alert
            color="orange"
            variant="light"
            icon={<IconMailOff size={18} />}
            title={t('invoices.send.smtpTitle')}
            role="alert"
            data-testid="smtp-not-configured"
          >
            <Stack gap="xs">
              <Text size="sm">{smtpMessage}</Text>
              <Text size="sm" c="dimmed">
                {t('invoices.send.smtpHint')}
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {t('invoices.send.smtpExample')}
              </Code>
            </Stack>
          </Alert>
        ) : null}
        <FormError message={formError} />
        <TextInput
          label={t('invoices.send.email')}
          description={t('invoices.send.emailHint')}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => {
            setTouched(true);
            setEmail(event.currentTarget.value);
            setEmailError(null);
          }}
          error={emailError}
          data-autofocus
          required
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" leftSection={<IconSend size={16} />} loading={send.isPending}>
            {t('invoices.send.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Отправить клиенту»: the e-mail (the client's first one, or where it was sent before); no SMTP → how to set it up. */
export function SendModal({ invoice, opened, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('invoices.send.title')}>
      {opened ? <SendForm invoice={invoice} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
