import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Stack, Text, Title } from '@mantine/core';
import i18n from 'i18next';

interface Props {
  children: ReactNode;
  /** Changing it (e.g. the route path) clears a caught error. */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
}

/** Catches render errors and failed lazy chunks of a page, so the shell stays usable. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override componentDidUpdate(prev: Props) {
    if (this.state.error && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Stack align="center" gap="sm" py={64} ta="center">
        <Title order={3}>{i18n.t('errors.crashTitle')}</Title>
        <Text c="dimmed" maw={480}>
          {this.state.error.message}
        </Text>
        <Button variant="light" onClick={() => window.location.reload()}>
          {i18n.t('errors.reload')}
        </Button>
      </Stack>
    );
  }
}
