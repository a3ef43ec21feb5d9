import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { applyApiErrorToForm } from '../api/forms';
import { FormError } from '../ui/FormError';
import { PageLoader } from '../ui/PageLoader';
import { QueryError } from '../ui/QueryError';
import { AuthLayout } from './AuthLayout';
import { useMe, useSetup, useSetupStatus } from './useAuth';
import { validateEmail, validateName, validatePassword } from './validation';

/** Первоначальная настройка: the first account, created once, becomes the administrator. */
export function SetupPage() {
  const { t } = useTranslation();
  const me = useMe();
  const status = useSetupStatus(me.data === null);
  const setup = useSetup();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', email: '', password: '' },
    validate: {
      name: (value) => validateName(value, t),
      email: (value) => validateEmail(value, t),
      password: (value) => validatePassword(value, t),
    },
  });

  if (me.data) return <Navigate to="/" replace />;
  if (me.isPending || status.isPending) return <PageLoader fullScreen />;
  if (status.isError) return <QueryError error={status.error} onRetry={() => void status.refetch()} />;
  if (!status.data.needed) return <Navigate to="/login" replace />;

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await setup.mutateAsync({ name: values.name.trim(), email: values.email.trim(), password: values.password });
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <AuthLayout title={t('auth.setupTitle')} subtitle={t('auth.setupSubtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput label={t('auth.name')} autoComplete="name" autoFocus {...form.getInputProps('name')} />
          <TextInput label={t('auth.email')} type="email" autoComplete="username" inputMode="email" {...form.getInputProps('email')} />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Button type="submit" fullWidth loading={setup.isPending} mt="xs">
            {t('auth.setupSubmit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
