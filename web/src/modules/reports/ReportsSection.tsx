import { lazy, Suspense } from 'react';
import { Box, Group, Loader, Select, Tabs, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconActivity,
  IconChartDots,
  IconChartFunnel,
  IconMessageStar,
  IconTarget,
  IconThumbDown,
  IconTrendingUp,
  IconUsersGroup,
  IconWorldWww,
  type TablerIcon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { NotFoundPage } from '../../ui/StatusPage';
import './i18n';
import './reports.css';

interface ReportPage {
  key: string;
  icon: TablerIcon;
  element: ReturnType<typeof lazy>;
}

/** The reports in the order of the sub-navigation; each page is its own chunk. */
export const REPORT_PAGES: ReportPage[] = [
  { key: 'funnel', icon: IconChartFunnel, element: lazy(() => import('./pages/FunnelPage')) },
  { key: 'sales', icon: IconTrendingUp, element: lazy(() => import('./pages/SalesPage')) },
  { key: 'plan-fact', icon: IconTarget, element: lazy(() => import('./pages/PlanFactPage')) },
  { key: 'activity', icon: IconActivity, element: lazy(() => import('./pages/ActivityPage')) },
  { key: 'client-base', icon: IconUsersGroup, element: lazy(() => import('./pages/ClientBasePage')) },
  { key: 'loss-reasons', icon: IconThumbDown, element: lazy(() => import('./pages/LossReasonsPage')) },
  { key: 'sources', icon: IconWorldWww, element: lazy(() => import('./pages/SourcesPage')) },
  { key: 'reviews', icon: IconMessageStar, element: lazy(() => import('./pages/ReviewsPage')) },
  { key: 'correlation', icon: IconChartDots, element: lazy(() => import('./pages/CorrelationPage')) },
];

/** Address keys every report understands; the others (measure, by, x, y, month…) belong to one report. */
const SHARED_KEYS = ['period', 'from', 'to', 'owner', 'dept', 'pipeline', 'view'];

function SubNav() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const current = REPORT_PAGES.find((p) => pathname === `/reports/${p.key}` || pathname.startsWith(`/reports/${p.key}/`))?.key ?? null;
  const go = (key: string | null) => {
    if (!key || key === current) return;
    const params = new URLSearchParams(search);
    for (const k of [...params.keys()]) if (!SHARED_KEYS.includes(k)) params.delete(k);
    const qs = params.toString();
    navigate(`/reports/${key}${qs ? `?${qs}` : ''}`);
  };

  if (phone) {
    return (
      <Select
        className="vr-no-print"
        aria-label={t('reports.nav.label')}
        data={REPORT_PAGES.map((p) => ({ value: p.key, label: t(`reports.nav.${p.key}`) }))}
        value={current}
        onChange={go}
        size="md"
        data-testid="reports-nav"
      />
    );
  }
  return (
    <Tabs value={current} onChange={go} variant="pills" radius="md" className="vr-no-print" data-testid="reports-nav">
      <Tabs.List style={{ gap: 4 }}>
        {REPORT_PAGES.map((p) => (
          <Tabs.Tab key={p.key} value={p.key} leftSection={<p.icon size={16} stroke={1.7} />}>
            {t(`reports.nav.${p.key}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

/** «Отчёты»: /reports/<report> with the sub-navigation; /reports opens the funnel. */
export default function ReportsSection() {
  const { t } = useTranslation();
  return (
    <Box maw={1400}>
      <Title order={1} size="h2" mb="sm" className="vr-no-print">
        {t('reports.nav.title')}
      </Title>
      <Box mb="md">
        <SubNav />
      </Box>
      <Suspense
        fallback={
          <Group justify="center" py="xl">
            <Loader />
          </Group>
        }
      >
        <Routes>
          <Route index element={<Navigate to="funnel" replace />} />
          {REPORT_PAGES.map((p) => (
            <Route key={p.key} path={p.key} element={<p.element />} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Box>
  );
}
