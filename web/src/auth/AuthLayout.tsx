import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLanguage, LANGUAGES, setLanguage } from '../i18n';
import { Logo } from '../ui/Logo';

interface AuthLayoutProps {
  title: string;
  subtitle?: string;
  children: ReactNode;
}

/** The centred card of the login and setup pages. */
export function AuthLayout({ title, subtitle, children }: AuthLayoutProps) {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" p="md">
      <Stack w="100%" maw={420} gap="lg">
        <Group justify="center">
          <Logo size={36} />
        </Group>
        <Paper p={{ base: 'lg', xs: 'xl' }} radius="lg" shadow="sm">
          <Stack gap={4} mb="lg">
            <Title order={1} size="h2">
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" size="sm">
                {subtitle}
              </Text>
            ) : null}
          </Stack>
          {children}
        </Paper>
        <Box ta="center">
          <SegmentedControl
            size="xs"
            aria-label={t('userMenu.language')}
            value={currentLanguage()}
            onChange={(value) => isLanguage(value) && void setLanguage(value)}
            data={LANGUAGES.map((lng) => ({ value: lng, label: t(`languages.${lng}`) }))}
          />
        </Box>
      </Stack>
    </Center>
  );
}
