import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { applyApiErrorToForm } from '../api/forms';
import { FormError } from '../ui/FormError';
import { PageLoader } from '../ui/PageLoader';
import { AuthLayout } from './AuthLayout';
import { useLogin, useMe, useSetupStatus } from './useAuth';
import { validateEmail } from './validation';

/** Where to go after login: the address that sent us here, if it is one of ours. */
function useReturnPath(): string {
  const state = useLocation().state as { from?: unknown } | null;
  const from = state?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const me = useMe();
  const setup = useSetupStatus(me.data === null);
  const returnPath = useReturnPath();
  const login = useLogin();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => validateEmail(value, t),
      password: (value) => (value ? null : t('validation.passwordRequired')),
    },
  });

  if (me.data) return <Navigate to={returnPath} replace />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  if (me.isPending) return <PageLoader fullScreen />;

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await login.mutateAsync({ email: values.email.trim(), password: values.password });
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <AuthLayout title={t('auth.loginTitle')} subtitle={t('auth.loginSubtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            inputMode="email"
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput label={t('auth.password')} autoComplete="current-password" {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={login.isPending} mt="xs">
            {t('auth.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
