import type { ChartOption } from './EChart';

/** Option builders of the report charts (ECharts), with Russian number formats passed in by the caller. */

export const PALETTE = ['#2953ae', '#2f9e44', '#f08c00', '#e03131', '#7048e8', '#1098ad', '#d6336c', '#66a80f', '#868e96', '#a61e4d'];
const FONT = 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

type Fmt = (value: number | null | undefined) => string;

const base = (): ChartOption => ({
  color: PALETTE,
  textStyle: { fontFamily: FONT },
  animationDuration: 400,
});

/** Cuts long category names on axes (the tooltip shows them whole). */
export function shorten(label: string, max = 22): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export interface Series {
  name: string;
  data: (number | null)[];
  /** Drawn as a line over bars (e.g. a share in percent on the right axis). */
  line?: boolean;
  rightAxis?: boolean;
  color?: string;
}

interface BarOpts {
  categories: string[];
  series: Series[];
  format: Fmt;
  short: Fmt;
  /** Bars run left to right with names on the left (managers, regions, products). */
  horizontal?: boolean;
  stacked?: boolean;
  /** Lines instead of bars (time series). */
  asLine?: boolean;
  area?: boolean;
  rightFormat?: Fmt;
  /** Show the values on the bars. */
  labels?: boolean;
  compact?: boolean;
  markLine?: { value: number; name: string };
  /** Counts: no fractional ticks. */
  integer?: boolean;
}

export function barOption(o: BarOpts): ChartOption {
  const legend = o.series.length > 1;
  const valueAxis = {
    type: 'value',
    minInterval: o.integer ? 1 : undefined,
    splitNumber: o.compact ? 3 : undefined,
    // the plan line stays in view even when everybody is far below it
    max: o.markLine ? (v: { max: number }) => Math.max(v.max, o.markLine!.value * 1.05) : undefined,
    axisLabel: { formatter: (v: number) => o.short(v), fontSize: 11, hideOverlap: true },
    splitLine: { lineStyle: { color: '#eef0f3' } },
  };
  const categoryAxis = {
    type: 'category',
    data: o.horizontal ? [...o.categories].reverse() : o.categories,
    axisLabel: {
      formatter: (v: string) => shorten(v, o.horizontal ? (o.compact ? 14 : 24) : 14),
      fontSize: 11,
      hideOverlap: true,
      rotate: !o.horizontal && o.categories.length > 8 && !o.asLine ? 35 : 0,
    },
    axisTick: { alignWithLabel: true },
  };
  const rightAxis = o.series.some((s) => s.rightAxis);
  return {
    ...base(),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: o.asLine ? 'line' : 'shadow' },
      confine: true,
      valueFormatter: undefined,
      formatter: (items: { seriesName: string; name: string; value: number | null; marker: string; seriesIndex: number }[]) => {
        const list = Array.isArray(items) ? items : [items];
        const head = list[0]?.name ?? '';
        return [
          `<b>${escapeHtml(head)}</b>`,
          ...list.map(
            (p) =>
              `${p.marker}${escapeHtml(p.seriesName)}: <b>${(o.series[p.seriesIndex]?.rightAxis && o.rightFormat ? o.rightFormat : o.format)(p.value)}</b>`,
          ),
        ].join('<br/>');
      },
    },
    legend: legend ? { type: 'scroll', bottom: 0, textStyle: { fontSize: 12 } } : undefined,
    // room for the value labels at the end of horizontal bars
    grid: {
      left: 8,
      right: o.horizontal && o.labels ? (o.compact ? 56 : 72) : rightAxis ? 8 : 16,
      top: 24,
      bottom: legend ? 36 : 8,
      containLabel: true,
    },
    xAxis: o.horizontal ? valueAxis : categoryAxis,
    yAxis: o.horizontal
      ? categoryAxis
      : rightAxis
        ? [
            valueAxis,
            {
              type: 'value',
              axisLabel: { formatter: (v: number) => (o.rightFormat ?? o.short)(v), fontSize: 11 },
              splitLine: { show: false },
            },
          ]
        : valueAxis,
    series: o.series.map((s, i) => ({
      name: s.name,
      type: s.line || o.asLine ? 'line' : 'bar',
      data: o.horizontal ? [...s.data].reverse() : s.data,
      stack: o.stacked && !s.line ? 'total' : undefined,
      yAxisIndex: s.rightAxis ? 1 : 0,
      smooth: o.asLine || s.line ? 0.25 : undefined,
      symbolSize: 6,
      areaStyle: o.area && o.series.length === 1 ? { opacity: 0.12 } : undefined,
      barMaxWidth: 42,
      itemStyle: { borderRadius: o.stacked ? 0 : o.horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0], color: s.color },
      label:
        o.labels && !o.stacked
          ? {
              show: true,
              position: o.horizontal ? 'right' : 'top',
              formatter: (p: { value: number }) => o.short(p.value),
              fontSize: 11,
              color: '#495057',
            }
          : undefined,
      markLine:
        o.markLine && i === 0
          ? {
              symbol: 'none',
              silent: true,
              lineStyle: { color: '#e03131', type: 'dashed' },
              label: { formatter: o.markLine.name, position: 'insideEndTop', color: '#e03131' },
              data: [o.horizontal ? { xAxis: o.markLine.value } : { yAxis: o.markLine.value }],
            }
          : undefined,
    })),
  };
}

interface PieOpts {
  data: { name: string; value: number; color?: string }[];
  format: Fmt;
  compact?: boolean;
  /** The number in the middle of the donut. */
  center?: string;
}

export function pieOption(o: PieOpts): ChartOption {
  const total = o.data.reduce((s, d) => s + (d.value || 0), 0) || 1;
  const pct = (v: number) => `${new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }).format((v * 100) / total)}\u00A0%`;
  return {
    ...base(),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { name: string; value: number; marker: string }) =>
        `${p.marker}${escapeHtml(p.name)}: <b>${o.format(p.value)}</b> (${pct(p.value)})`,
    },
    legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 12 }, formatter: (name: string) => shorten(name, 28) },
    series: [
      {
        type: 'pie',
        radius: o.compact ? ['38%', '62%'] : ['40%', '68%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: o.center
          ? { show: true, position: 'center', formatter: () => o.center, fontSize: 18, fontWeight: 700, color: '#212529' }
          : {
              show: !o.compact,
              formatter: (p: { name: string; value: number }) => `${shorten(p.name, 18)}\n${pct(p.value)}`,
              fontSize: 11,
            },
        labelLine: { show: !o.center && !o.compact },
        emphasis: o.center ? { label: { show: true } } : undefined,
        data: o.data.map((d) => ({ name: d.name, value: d.value, itemStyle: d.color ? { color: d.color } : undefined })),
      },
    ],
  };
}

interface FunnelOpts {
  stages: { name: string; value: number; extra?: string }[];
  format: Fmt;
  compact?: boolean;
}

export function funnelOption(o: FunnelOpts): ChartOption {
  const max = Math.max(1, ...o.stages.map((s) => s.value));
  return {
    ...base(),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { name: string; value: number; marker: string; dataIndex: number }) =>
        `${p.marker}${escapeHtml(p.name)}: <b>${o.format(p.value)}</b>${o.stages[p.dataIndex]?.extra ? `<br/>${escapeHtml(o.stages[p.dataIndex].extra!)}` : ''}`,
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: o.compact ? '4%' : '10%',
        right: o.compact ? '4%' : '10%',
        top: 8,
        bottom: 8,
        min: 0,
        max,
        minSize: '14%',
        maxSize: '100%',
        gap: 2,
        label: {
          show: true,
          position: 'inside',
          formatter: (p: { name: string; value: number }) => `${shorten(p.name, o.compact ? 14 : 24)}: ${o.format(p.value)}`,
          fontSize: o.compact ? 11 : 13,
          color: '#fff',
          textBorderColor: 'rgba(0,0,0,0.35)',
          textBorderWidth: 2,
        },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        data: o.stages.map((s, i) => ({ name: s.name, value: s.value, itemStyle: { color: funnelColor(i, o.stages.length) } })),
      },
    ],
  };
}

/** Blue shades from dark to light down the funnel. */
function funnelColor(i: number, n: number): string {
  const from = [32, 72, 156];
  const to = [128, 157, 216];
  const k = n > 1 ? i / (n - 1) : 0;
  const c = from.map((v, j) => Math.round(v + (to[j] - v) * k));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

interface ScatterOpts {
  points: { label: string; x: number; y: number }[];
  slope: number | null;
  intercept: number | null;
  xName: string;
  yName: string;
  xFormat: Fmt;
  yFormat: Fmt;
  xShort: Fmt;
  yShort: Fmt;
  lineName: string;
  xInteger?: boolean;
  yInteger?: boolean;
}

export function scatterOption(o: ScatterOpts): ChartOption {
  const xs = o.points.map((p) => p.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const line =
    o.slope !== null && o.intercept !== null && o.points.length >= 2
      ? [
          [minX, o.slope * minX + o.intercept],
          [maxX, o.slope * maxX + o.intercept],
        ]
      : [];
  return {
    ...base(),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { seriesIndex: number; dataIndex: number; marker: string }) => {
        if (p.seriesIndex !== 0) return escapeHtml(o.lineName);
        const pt = o.points[p.dataIndex];
        return `<b>${escapeHtml(pt.label)}</b><br/>${escapeHtml(o.xName)}: ${o.xFormat(pt.x)}<br/>${escapeHtml(o.yName)}: ${o.yFormat(pt.y)}`;
      },
    },
    legend: { bottom: 0, data: [o.lineName], textStyle: { fontSize: 12 } },
    grid: { left: 16, right: 56, top: 36, bottom: 56, containLabel: true },
    xAxis: {
      type: 'value',
      name: o.xName,
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      minInterval: o.xInteger ? 1 : undefined,
      axisLabel: { formatter: (v: number) => o.xShort(v), fontSize: 11, hideOverlap: true },
      splitLine: { lineStyle: { color: '#eef0f3' } },
    },
    yAxis: {
      type: 'value',
      name: o.yName,
      nameTextStyle: { align: 'left' },
      scale: true,
      minInterval: o.yInteger ? 1 : undefined,
      axisLabel: { formatter: (v: number) => o.yShort(v), fontSize: 11 },
      splitLine: { lineStyle: { color: '#eef0f3' } },
    },
    series: [
      {
        type: 'scatter',
        name: 'points',
        symbolSize: 12,
        itemStyle: { color: PALETTE[0], opacity: 0.85 },
        label: {
          show: o.points.length <= 15,
          position: 'top',
          formatter: (p: { dataIndex: number }) => shorten(o.points[p.dataIndex].label, 16),
          fontSize: 10,
          color: '#495057',
        },
        data: o.points.map((p) => [p.x, p.y]),
      },
      {
        type: 'line',
        name: o.lineName,
        showSymbol: false,
        lineStyle: { color: PALETTE[3], width: 2, type: 'dashed' },
        itemStyle: { color: PALETTE[3] },
        data: line,
      },
    ],
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
