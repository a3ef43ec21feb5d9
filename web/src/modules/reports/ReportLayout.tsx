import { useEffect, useState, type ReactNode } from 'react';
import { useMediaQuery } from '@mantine/hooks';
import { flushSync } from 'react-dom';
import { Alert, Box, Button, Group, Loader, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconChartBar, IconDownload, IconFileTypeCsv, IconFileTypePdf, IconInfoCircle, IconPrinter, IconTable } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Query } from '../../api/client';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { QueryError } from '../../ui/QueryError';
import { notifyError } from '../../ui/notify';
import { downloadReport, type ExportFormat, type ReportKind } from './api';
import type { ReportFilters } from './useReportFilters';

interface Props<T> {
  kind: ReportKind;
  title: string;
  description?: ReactNode;
  f: ReportFilters;
  /** The filters bar (and report-specific controls). */
  filters: ReactNode;
  /** Lines for the printed header: period, filters, measure… */
  printLines: string[];
  /** The query of the file exports (the same as the JSON one). */
  exportQuery: Query;
  result: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  emptyText?: string;
  table: (data: T) => ReactNode;
  /** Without it, the report has no chart view. */
  chart?: (data: T) => ReactNode;
  /** Shown above the table/chart in both views (key figures). */
  summary?: (data: T) => ReactNode;
  /** Shown below, not printed (e.g. the plan editor). */
  after?: ReactNode;
  landscape?: boolean;
  /** Turns a 400 into a friendly hint instead of a red error. */
  badRequestHint?: string;
}

/**
 * The frame of every report page: title, filters, «Таблица ⇄ График», exports (Excel, CSV, PDF) and «Печать» —
 * an A4 view in which the shell is hidden and the title, the period and filters, the table and the chart are printed.
 */
export function ReportLayout<T>(props: Props<T>) {
  const { t } = useTranslation();
  const { kind, title, description, f, result, table, chart, summary } = props;
  const [printing, setPrinting] = useState(false);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const view = chart ? f.view : 'table';
  const phone = useMediaQuery('(max-width: 30em)');
  const icon = (node: ReactNode) => (phone ? undefined : node);

  // Ctrl+P prints the same view as the button; the chart is drawn when it was on screen already.
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  const print = () => {
    setPrinting(true);
    // let the chart (if it was hidden) mount and draw, then open the print dialog (charts redraw at paper width)
    window.setTimeout(() => window.print(), chart ? 900 : 100);
  };

  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await downloadReport(kind, props.exportQuery, format);
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(null);
    }
  };

  const data = result.data;
  const empty = data !== undefined && props.isEmpty ? props.isEmpty(data) : false;
  const badRequest = isApiError(result.error, 400);

  let body: ReactNode;
  if (result.isPending) {
    body = (
      <Group justify="center" py="xl">
        <Loader />
      </Group>
    );
  } else if (result.error && badRequest) {
    body = (
      <Alert
        color="yellow"
        icon={<IconInfoCircle size={18} />}
        title={props.badRequestHint ?? t('reports.badRequest')}
        data-testid="report-bad-request"
      >
        {errorMessage(result.error)}
      </Alert>
    );
  } else if (result.error) {
    body = <QueryError error={result.error} onRetry={() => void result.refetch()} />;
  } else if (data === undefined) {
    body = null;
  } else if (empty) {
    body = (
      <>
        {summary ? summary(data) : null}
        <Paper p="xl" radius="md">
          <Stack align="center" gap={4}>
            <Text fw={600}>{props.emptyText ?? t('reports.empty')}</Text>
            <Text c="dimmed" size="sm" ta="center">
              {t('reports.emptyHint')}
            </Text>
          </Stack>
        </Paper>
      </>
    );
  } else {
    body = (
      <Stack gap="md" style={{ opacity: result.isPlaceholderData ? 0.55 : 1, transition: 'opacity 150ms' }}>
        {summary ? summary(data) : null}
        {chart && (view === 'chart' || printing) ? (
          <Paper p={{ base: 'xs', sm: 'md' }} radius="md" className="vr-print-block">
            {chart(data)}
          </Paper>
        ) : null}
        {view === 'table' || printing ? <Box className="vr-print-block">{table(data)}</Box> : null}
      </Stack>
    );
  }

  return (
    <Stack gap="md" data-testid={`report-${kind}`} className={props.landscape ? 'vr-report vr-landscape' : 'vr-report'}>
      {printing && props.landscape ? <style>{'@page { size: A4 landscape; margin: 10mm; }'}</style> : null}
      <Box className="vr-print-only">
        <Title order={2} size="h3">
          {title}
        </Title>
        {props.printLines.map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))}
      </Box>
      <Box className="vr-no-print">
        <Title order={2} size="h3">
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" size="sm" mt={2}>
            {description}
          </Text>
        ) : null}
      </Box>
      {props.filters}
      <Group justify="space-between" gap="sm" className="vr-no-print">
        {chart ? (
          <SegmentedControl
            value={view}
            onChange={(value) => f.set({ view: value === 'chart' ? 'chart' : null })}
            data={[
              {
                value: 'table',
                label: (
                  <Group gap={6} wrap="nowrap">
                    <IconTable size={16} />
                    <span>{t('reports.view.table')}</span>
                  </Group>
                ),
              },
              {
                value: 'chart',
                label: (
                  <Group gap={6} wrap="nowrap">
                    <IconChartBar size={16} />
                    <span>{t('reports.view.chart')}</span>
                  </Group>
                ),
              },
            ]}
            aria-label={t('reports.view.label')}
          />
        ) : (
          <span />
        )}
        <Group gap={6} wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            leftSection={icon(<IconDownload size={15} />)}
            loading={exporting === 'xlsx'}
            onClick={() => void exportAs('xlsx')}
          >
            Excel
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={icon(<IconFileTypeCsv size={15} />)}
            loading={exporting === 'csv'}
            onClick={() => void exportAs('csv')}
          >
            CSV
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={icon(<IconFileTypePdf size={15} />)}
            loading={exporting === 'pdf'}
            onClick={() => void exportAs('pdf')}
          >
            PDF
          </Button>
          <Button size="xs" variant="default" leftSection={<IconPrinter size={15} />} onClick={print} disabled={!data || empty}>
            {t('reports.print.button')}
          </Button>
        </Group>
      </Group>
      {body}
      {props.after ? <Box className="vr-no-print">{props.after}</Box> : null}
    </Stack>
  );
}
