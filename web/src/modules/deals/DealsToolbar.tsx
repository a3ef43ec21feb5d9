import { useEffect, useState, type ReactNode } from 'react';
import { Button, Collapse, Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconLayoutKanban, IconList, IconPlus, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Pipeline } from '../../../../common/api/pipelines';
import { PageHeader } from '../../ui/PageHeader';
import { NewDealModal } from './NewDealModal';
import { OwnerSelect } from './OwnerSelect';
import { useDealFilters } from './useDealFilters';
import { useAccess } from '../../auth/permissions';

interface Props {
  view: 'kanban' | 'list';
  pipelines: Pipeline[] | undefined;
  /** The pipeline on screen (the default one when none is chosen). */
  pipelineId: string | undefined;
  /** The list may show every pipeline at once. */
  allowAllPipelines?: boolean;
  /** Extra filters of the view (the list's search and status). */
  extra?: ReactNode;
  summary?: ReactNode;
  /** Header actions of the view (the list's «Экспорт»). */
  actions?: ReactNode;
}

/** The header of «Сделки»: view toggle, «Новая сделка», pipeline and the filters (owner, period, source). */
export function DealsToolbar({ view, pipelines, pipelineId, allowAllPipelines = false, extra, summary, actions }: Props) {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const { filters, params, setFilter, setFilters, resetFilters, active } = useDealFilters();
  const phone = useMediaQuery('(max-width: 48em)');
  const [filtersOpened, filtersToggle] = useDisclosure(false);
  const [source, setSource] = useState(filters.source ?? '');
  const [debouncedSource] = useDebouncedValue(source, 400);

  useEffect(() => {
    if ((debouncedSource.trim() || undefined) !== filters.source) setFilter('source', debouncedSource.trim() || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- push the typed source once it settles
  }, [debouncedSource]);
  useEffect(() => {
    if (!filters.source) setSource('');
  }, [filters.source]);
  // The period is kept here while only its first day is chosen; the address gets both ends at once.
  const [range, setRange] = useState<[string | null, string | null]>([filters.from ?? null, filters.to ?? null]);
  useEffect(() => setRange([filters.from ?? null, filters.to ?? null]), [filters.from, filters.to]);

  const query = (() => {
    const next = new URLSearchParams(params);
    next.delete('new');
    next.delete('clientId');
    const qs = next.toString();
    return qs ? `?${qs}` : '';
  })();

  const newOpened = params.get('new') === '1';
  const closeNew = () => setFilters({ new: null, clientId: null });

  const pipelineOptions = (pipelines ?? [])
    .filter((p) => !p.archived || p.id === pipelineId)
    .map((p) => ({ value: p.id, label: p.archived ? t('deals.archivedPipeline', { name: p.name }) : p.name }));

  const filterFields = (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('deals.pipeline')}
        data={pipelineOptions}
        value={allowAllPipelines ? (filters.pipelineId ?? null) : (pipelineId ?? null)}
        placeholder={allowAllPipelines ? t('deals.filters.allPipelines') : undefined}
        clearable={allowAllPipelines}
        onChange={(value) => setFilter('pipeline', value)}
        w={{ base: '100%', xs: 200 }}
        aria-label={t('deals.pipeline')}
      />
      {access.beyondOwn('deal') ? (
        <OwnerSelect
          label={t('deals.filters.owner')}
          placeholder={t('deals.filters.allOwners')}
          clearable
          value={filters.ownerId ?? null}
          onChange={(value) => setFilter('owner', value)}
          w={{ base: '100%', xs: 200 }}
        />
      ) : null}
      <DatePickerInput
        type="range"
        label={t('deals.filters.period')}
        placeholder={t('deals.filters.periodPlaceholder')}
        valueFormat="DD.MM.YYYY"
        clearable
        allowSingleDateInRange
        value={range}
        onChange={([rawFrom, rawTo]) => {
          const from = rawFrom ? String(rawFrom).slice(0, 10) : null;
          const to = rawTo ? String(rawTo).slice(0, 10) : null;
          setRange([from, to]);
          // Both ends chosen (or cleared): a half-chosen range is not a filter yet.
          if (from && !to) return;
          setFilters({ from, to });
        }}
        w={{ base: '100%', xs: 230 }}
      />
      <TextInput
        label={t('deals.filters.source')}
        placeholder={t('deals.filters.sourcePlaceholder')}
        value={source}
        onChange={(event) => setSource(event.currentTarget.value)}
        w={{ base: '100%', xs: 160 }}
      />
      {extra}
      {active ? (
        <Button variant="subtle" color="gray" leftSection={<IconX size={16} />} onClick={resetFilters}>
          {t('deals.filters.reset')}
        </Button>
      ) : null}
    </Group>
  );

  return (
    <>
      <PageHeader
        title={t('deals.title')}
        description={summary}
        actions={
          <>
            <SegmentedControl
              aria-label={t('deals.view')}
              value={view}
              onChange={(value) => navigate(`/deals${value === 'list' ? '/list' : ''}${query}`)}
              data={[
                {
                  value: 'kanban',
                  label: (
                    <Group gap={6} wrap="nowrap">
                      <IconLayoutKanban size={16} />
                      <span>{t('deals.viewKanban')}</span>
                    </Group>
                  ),
                },
                {
                  value: 'list',
                  label: (
                    <Group gap={6} wrap="nowrap">
                      <IconList size={16} />
                      <span>{t('deals.viewList')}</span>
                    </Group>
                  ),
                },
              ]}
            />
            {actions}
            {access.can('deal', 'write') ? (
              <Button leftSection={<IconPlus size={18} />} onClick={() => setFilter('new', '1')}>
                {t('deals.add')}
              </Button>
            ) : null}
          </>
        }
      />
      {phone ? (
        <>
          <Button
            variant={active ? 'light' : 'default'}
            leftSection={<IconAdjustmentsHorizontal size={16} />}
            onClick={filtersToggle.toggle}
            mb="sm"
            fullWidth
          >
            {t('deals.filters.show')}
            {active ? ' •' : ''}
          </Button>
          <Collapse expanded={filtersOpened}>
            <div style={{ marginBottom: 'var(--mantine-spacing-md)' }}>{filterFields}</div>
          </Collapse>
        </>
      ) : (
        <div style={{ marginBottom: 'var(--mantine-spacing-md)' }}>{filterFields}</div>
      )}
      {access.can('deal', 'write') ? (
        <NewDealModal opened={newOpened} onClose={closeNew} pipelineId={pipelineId} clientId={params.get('clientId') ?? undefined} />
      ) : null}
    </>
  );
}
