import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

interface StatusPageProps {
  title: string;
  text: string;
}

/** A full-width message page with a way home (404, 403). */
export function StatusPage({ title, text }: StatusPageProps) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap="sm" py={64} ta="center">
      <Title order={2}>{title}</Title>
      <Text c="dimmed" maw={420}>
        {text}
      </Text>
      <Button component={Link} to="/" variant="light" mt="sm">
        {t('errors.toHome')}
      </Button>
    </Stack>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('errors.notFoundTitle')} text={t('errors.notFoundText')} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('errors.forbiddenTitle')} text={t('errors.forbiddenText')} />;
}
