import './i18n';
import { useRef } from 'react';
import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { useCurrentUser } from '../../auth/useAuth';
import { NotFoundPage } from '../../ui/StatusPage';
import { formatPhoneRu } from '../../../../common/phone';
import { LEADS_KEY } from './api';
import LeadPage from './LeadPage';
import LeadsInboxPage from './LeadsInboxPage';

/** «Лиды»: /leads (входящие), /leads/:id (карточка). Live: a new or changed lead refreshes what is on screen. */
export default function LeadsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = () => {
    // a burst of submissions becomes one refresh
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({
        queryKey: LEADS_KEY,
        predicate: (q) => q.queryKey[1] !== 'users' && q.queryKey[1] !== 'clients',
      });
    }, 200);
  };

  useLiveEvent('lead.created', (data) => {
    refresh();
    // Everyone who may see the lead refreshes; only its assignee (or the head told about an unassigned one) gets a toast.
    if (data.alertUserId !== me.id) return;
    const name = data?.name?.trim() || (data?.phone ? formatPhoneRu(data.phone) : null) || t('leads.noName');
    const details = [data?.name && data.phone ? formatPhoneRu(data.phone) : null, data?.formName].filter(Boolean).join(' · ');
    notifications.show({
      id: data?.id ? `lead-${data.id}` : undefined,
      color: 'blue',
      title: t('leads.live.title', { name }),
      message: data?.id ? (
        <>
          {details ? `${details} · ` : ''}
          {/* the toasts live outside the router: navigate from here, no <Link> */}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              notifications.hide(`lead-${data.id}`);
              void navigate(`/leads/${data.id}`);
            }}
          >
            {t('leads.live.open')}
          </Anchor>
        </>
      ) : (
        details
      ),
      autoClose: 8000,
    });
  });
  useLiveEvent('lead.updated', refresh);

  return (
    <Routes>
      <Route index element={<LeadsInboxPage />} />
      <Route path=":id" element={<LeadPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
