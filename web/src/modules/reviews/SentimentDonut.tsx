import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewsSummary, Sentiment } from '../../../../common/api/reviews';
import EChart, { type EChartOption } from './EChart';

const COLORS: Record<Sentiment, string> = { positive: '#2f9e44', neutral: '#adb5bd', negative: '#e03131' };
const ORDER: Sentiment[] = ['positive', 'neutral', 'negative'];
const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 0 });

/** Shares of positive / neutral / negative reviews as a donut (this chunk carries ECharts; loaded lazily). */
export default function SentimentDonut({ summary, compact = false }: { summary: ReviewsSummary; compact?: boolean }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const total = summary.count || 1;
    return {
      animationDuration: 300,
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) => `${p.name}: ${p.value} (${percent.format(p.value / total)})`,
      },
      legend: {
        orient: compact ? 'horizontal' : 'vertical',
        ...(compact ? { bottom: 0, left: 'center' } : { right: 0, top: 'middle' }),
        itemWidth: 12,
        itemHeight: 12,
        textStyle: { fontSize: 12 },
        formatter: (name: string) => {
          const key = ORDER.find((s) => t(`reviews.sentimentPlural.${s}`) === name);
          const value = key ? summary.bySentiment[key] : 0;
          return `${name} — ${value} (${percent.format(value / total)})`;
        },
      },
      series: [
        {
          type: 'pie',
          radius: compact ? ['40%', '60%'] : ['52%', '78%'],
          center: compact ? ['50%', '36%'] : ['28%', '50%'],
          avoidLabelOverlap: true,
          label: {
            show: true,
            position: 'center',
            formatter: () => String(summary.count),
            fontSize: 22,
            fontWeight: 700,
            color: '#212529',
          },
          labelLine: { show: false },
          emphasis: { scale: false },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          data: ORDER.map((s) => ({
            name: t(`reviews.sentimentPlural.${s}`),
            value: summary.bySentiment[s],
            itemStyle: { color: COLORS[s] },
          })),
        },
      ],
    };
  }, [summary, compact, t]);
  return <EChart option={option} height={compact ? 250 : 180} label={t('reviews.summary.chart')} />;
}
