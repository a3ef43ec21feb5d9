import { useState, type ComponentType } from 'react';
import { Anchor, Box, Button, Group, Stack, Text, Textarea, ThemeIcon, Timeline } from '@mantine/core';
import {
  IconArrowRight,
  IconArrowsJoin,
  IconBan,
  IconBriefcase,
  IconCash,
  IconCircleCheck,
  IconFileInvoice,
  IconInbox,
  IconMessage,
  IconMoodSad,
  IconPhoneCall,
  IconPoint,
  IconRefresh,
  IconStar,
  IconThumbDown,
  IconTrophy,
  IconUserShare,
  type IconProps,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../../api/forms';
import { notifySuccess } from '../../../ui/notify';
import { useAddComment, useTimeline, type TimelineEntry } from '../api';
import { formatDateTime } from '../format';
import { PanelBody, Section } from './Section';

interface KindStyle {
  icon: ComponentType<IconProps>;
  color: string;
}

const KINDS: Record<string, KindStyle> = {
  comment: { icon: IconMessage, color: 'blue' },
  refusal: { icon: IconBan, color: 'red' },
  reactivated: { icon: IconRefresh, color: 'green' },
  deal_created: { icon: IconBriefcase, color: 'indigo' },
  stage_changed: { icon: IconArrowRight, color: 'indigo' },
  deal_won: { icon: IconTrophy, color: 'green' },
  deal_lost: { icon: IconThumbDown, color: 'red' },
  task_done: { icon: IconCircleCheck, color: 'teal' },
  call: { icon: IconPhoneCall, color: 'cyan' },
  invoice: { icon: IconFileInvoice, color: 'violet' },
  payment: { icon: IconCash, color: 'green' },
  review: { icon: IconStar, color: 'yellow' },
  merged: { icon: IconArrowsJoin, color: 'gray' },
  reassigned: { icon: IconUserShare, color: 'gray' },
  lead_converted: { icon: IconInbox, color: 'grape' },
};
const OTHER: KindStyle = { icon: IconPoint, color: 'gray' };

type Data = Record<string, unknown> | null;
const str = (value: unknown) => (typeof value === 'string' && value ? value : null);

function styleOf(entry: TimelineEntry): KindStyle {
  const data = entry.data as Data;
  if (entry.kind === 'review' && data?.sentiment === 'negative') return { icon: IconMoodSad, color: 'orange' };
  return KINDS[entry.kind] ?? OTHER;
}

/** The body of an entry: the server writes a Russian `text` for most kinds; refusal and tasks add their data. */
function EntryBody({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const data = entry.data as Data;
  if (entry.kind === 'refusal') {
    const reason = str(data?.reasonName);
    return (
      <>
        {reason ? (
          <Text size="sm" fw={500} c="red.8">
            {t('clients.timeline.reason', { reason })}
          </Text>
        ) : null}
        {entry.text ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {entry.text}
          </Text>
        ) : null}
      </>
    );
  }
  if (entry.kind === 'task_done') {
    const result = str(data?.result);
    return (
      <>
        <Text size="sm">{str(data?.title) ?? entry.text}</Text>
        {result ? (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {t('clients.timeline.result', { result })}
          </Text>
        ) : null}
      </>
    );
  }
  if (!entry.text) return null;
  const text = (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {entry.text}
    </Text>
  );
  if (entry.dealId && entry.kind !== 'comment') {
    return (
      <Anchor component={Link} to={`/deals/${encodeURIComponent(entry.dealId)}`} c="inherit" underline="hover">
        {text}
      </Anchor>
    );
  }
  return text;
}

function CommentBox({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const add = useAddComment(clientId);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    const value = text.trim();
    if (!value) {
      setError(t('clients.timeline.commentRequired'));
      return;
    }
    setError(null);
    add.mutate(value, {
      onSuccess: () => {
        setText('');
        notifySuccess(t('clients.timeline.added'));
      },
      onError: (err) => setError(errorMessage(err)),
    });
  };

  return (
    <Box
      component="form"
      mb="md"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Textarea
        label={t('clients.timeline.comment')}
        placeholder={t('clients.timeline.commentPlaceholder')}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        error={error}
        onChange={(event) => {
          setText(event.currentTarget.value);
          if (error) setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed" visibleFrom="sm">
          Ctrl + Enter
        </Text>
        <Button type="submit" size="sm" loading={add.isPending} ml="auto">
          {t('clients.timeline.add')}
        </Button>
      </Group>
    </Box>
  );
}

/** «Лента»: everything that happened with the client, newest first, and the comment box. */
export function TimelinePanel({ clientId, canComment, bare }: { clientId: string; canComment: boolean; bare?: boolean }) {
  const { t } = useTranslation();
  const timeline = useTimeline(clientId);
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Section title={t('clients.card.timeline')} bare={bare}>
      {canComment ? <CommentBox clientId={clientId} /> : null}
      <PanelBody query={timeline} isEmpty={entries.length === 0} empty={t('clients.timeline.empty')}>
        <Stack gap="md">
          <Timeline bulletSize={28} lineWidth={2} aria-label={t('clients.card.timeline')}>
            {entries.map((entry) => {
              const style = styleOf(entry);
              const Icon = style.icon;
              const label = t(`clients.timeline.kinds.${entry.kind}`, { defaultValue: t('clients.timeline.kinds.other') });
              return (
                <Timeline.Item
                  key={entry.id}
                  data-kind={entry.kind}
                  bullet={
                    <ThemeIcon size={28} radius="xl" color={style.color} variant="light">
                      <Icon size={15} />
                    </ThemeIcon>
                  }
                  title={
                    <Group gap={6} wrap="wrap">
                      <Text size="sm" fw={600}>
                        {label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {entry.authorName ?? t('clients.timeline.system')} · {formatDateTime(entry.at)}
                      </Text>
                    </Group>
                  }
                >
                  <EntryBody entry={entry} />
                </Timeline.Item>
              );
            })}
          </Timeline>
          {timeline.hasNextPage ? (
            <Button
              variant="light"
              loading={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
              style={{ alignSelf: 'center' }}
            >
              {t('common.loadMore')}
            </Button>
          ) : null}
        </Stack>
      </PanelBody>
    </Section>
  );
}
