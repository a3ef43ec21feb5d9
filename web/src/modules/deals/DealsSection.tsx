import { useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { useLiveEvent } from '../../api/events';
import { NotFoundPage } from '../../ui/StatusPage';
import './i18n';
import { DEALS_KEY } from './api';
import DealPage from './DealPage';
import DealsListPage from './DealsListPage';
import KanbanPage from './KanbanPage';

/** «Сделки»: /deals (канбан), /deals/list (список), /deals/:id (карточка). Live: `deal_updated` refreshes what is on screen. */
export default function DealsSection() {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvent('deal.updated', () => {
    // A burst of moves (automation, a colleague dragging) becomes one refresh.
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: DEALS_KEY, predicate: (query) => query.queryKey[1] !== 'users' });
    }, 300);
  });
  return (
    <Routes>
      <Route index element={<KanbanPage />} />
      <Route path="list" element={<DealsListPage />} />
      <Route path=":id" element={<DealPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
