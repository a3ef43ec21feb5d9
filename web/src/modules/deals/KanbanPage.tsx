import { useState } from 'react';
import { Center, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Board, DealSummary } from '../../../../common/api/deals';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { DEALS_KEY, useBoard, useMoveDeal, usePipelines, type DealFilters } from './api';
import { DealsToolbar } from './DealsToolbar';
import { formatRubles } from './format';
import { KanbanBoard } from './KanbanBoard';
import { LoseDealModal } from './LoseDealModal';
import { useDealFilters } from './useDealFilters';
import { useAccess } from '../../auth/permissions';

type Column = Board['stages'][number];

/** The board with `deal` moved to the top of column `to`; counts and sums follow. */
function moveOnBoard(board: Board, deal: DealSummary, to: Column): Board {
  const moved: DealSummary = {
    ...deal,
    stageId: to.stageId,
    stageCode: to.code,
    stageName: to.name,
    status: to.kind,
    stageEnteredAt: new Date().toISOString(),
  };
  return {
    ...board,
    stages: board.stages.map((column) => {
      if (column.stageId === deal.stageId) {
        return {
          ...column,
          count: column.count - 1,
          amount: column.amount - deal.amount,
          deals: column.deals.filter((d) => d.id !== deal.id),
        };
      }
      if (column.stageId === to.stageId) {
        return { ...column, count: column.count + 1, amount: column.amount + deal.amount, deals: [moved, ...column.deals] };
      }
      return column;
    }),
  };
}

/** «Сделки» → Канбан: columns of the chosen pipeline, drag and drop between stages. */
export default function KanbanPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const queryClient = useQueryClient();
  const { filters, search, active: filtered } = useDealFilters();
  const pipelines = usePipelines();
  const defaultPipeline = pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];
  const pipelineId = filters.pipelineId ?? defaultPipeline?.id;
  const boardFilters: DealFilters = { ...filters, pipelineId };
  const board = useBoard(boardFilters, pipelines.isSuccess);
  const boardKey = [...DEALS_KEY, 'board', boardFilters];
  const move = useMoveDeal();
  const [losing, setLosing] = useState<DealSummary | null>(null);

  const onMove = async (deal: DealSummary, to: Column) => {
    await queryClient.cancelQueries({ queryKey: boardKey });
    const before = queryClient.getQueryData<Board>(boardKey);
    if (before) queryClient.setQueryData<Board>(boardKey, moveOnBoard(before, deal, to));
    try {
      await move.mutateAsync({ id: deal.id, stageId: to.stageId });
      notifySuccess(t('deals.board.moved', { title: deal.title, stage: to.name }));
    } catch (error) {
      if (before) queryClient.setQueryData<Board>(boardKey, before);
      notifyError(error);
    } finally {
      void queryClient.invalidateQueries({ queryKey: [...DEALS_KEY, 'board'] });
    }
  };

  const listLink = (stageId: string) => {
    const params = new URLSearchParams(search);
    params.set('stage', stageId);
    if (pipelineId) params.set('pipeline', pipelineId);
    return `/deals/list?${params.toString()}`;
  };

  const openColumns = board.data?.stages.filter((column) => column.kind === 'open') ?? [];
  const openCount = openColumns.reduce((sum, column) => sum + column.count, 0);
  const openAmount = openColumns.reduce((sum, column) => sum + column.amount, 0);
  const total = board.data?.stages.reduce((sum, column) => sum + column.count, 0) ?? 0;

  return (
    <>
      <DealsToolbar
        view="kanban"
        pipelines={pipelines.data}
        pipelineId={pipelineId}
        summary={board.data ? t('deals.board.inWork', { count: openCount, amount: formatRubles(openAmount) }) : t('deals.description')}
      />
      {pipelines.isError ? (
        <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />
      ) : board.isError ? (
        <QueryError error={board.error} onRetry={() => void board.refetch()} />
      ) : !board.data ? (
        <PageLoader />
      ) : (
        <>
          {total === 0 ? (
            <Center mb="sm">
              <Stack gap={4} align="center">
                <Text c="dimmed" size="sm">
                  {filtered ? t('deals.board.emptyFiltered') : t('deals.board.empty')}
                </Text>
              </Stack>
            </Center>
          ) : null}
          <KanbanBoard
            board={board.data}
            readOnly={!access.can('deal', 'write')}
            listLink={listLink}
            onMove={onMove}
            onLose={(deal) => setLosing(deal)}
          />
        </>
      )}
      <LoseDealModal deal={losing} onClose={() => setLosing(null)} />
    </>
  );
}
