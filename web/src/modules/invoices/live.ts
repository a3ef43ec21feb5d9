import { useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLiveEvent } from '../../api/events';
import { INVOICES_KEY } from './api';

/** Refreshes invoice data when the server says an invoice changed (a payment, a send, the overdue job). */
export function useInvoiceLiveUpdates() {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvent('invoice.updated', () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: INVOICES_KEY });
    }, 300);
  });
}
