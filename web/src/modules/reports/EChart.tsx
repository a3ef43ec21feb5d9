import { useEffect, useRef, useState } from 'react';
import { Skeleton } from '@mantine/core';
import type { EChartsCoreOption, ECharts } from 'echarts/core';

export type ChartOption = EChartsCoreOption;

/** Chart widths on paper, px at 96 dpi: A4 minus the margins of reports.css (12 mm portrait, 10 mm landscape). */
const PRINT_WIDTH = 660;
const PRINT_WIDTH_LANDSCAPE = 960;

/** Loads ECharts once (its own chunk) for every chart on the page. */
let loading: Promise<typeof import('./echarts')> | null = null;
function loadEcharts() {
  loading ??= import('./echarts');
  return loading;
}

interface EChartProps {
  option: ChartOption;
  height?: number | string;
  /** Accessible name of the picture. */
  label: string;
  testId?: string;
}

/**
 * A small ECharts host: the library is imported lazily, the chart is created in a div, follows the box's size
 * (ResizeObserver), takes new options without re-creating, and is disposed on unmount. `data-rendered` is set when
 * the first frame is drawn (browser tests wait for it).
 */
export function EChart({ option, height = 340, label, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;
  const [ready, setReady] = useState(false);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    let beforePrint: (() => void) | null = null;
    let afterPrint: (() => void) | null = null;
    void loadEcharts().then(({ echarts }) => {
      const el = box.current;
      if (disposed || !el) return;
      const instance = echarts.init(el, undefined, { renderer: 'canvas' });
      instance.on('finished', () => setRendered(true));
      instance.setOption(latest.current, { notMerge: true });
      chart.current = instance;
      setReady(true);
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(el);
      // Printing: draw at the width of an A4 page (portrait, or landscape for wide reports), then back.
      beforePrint = () =>
        instance.resize({ width: el.closest('.vr-landscape') ? PRINT_WIDTH_LANDSCAPE : PRINT_WIDTH, animation: { duration: 0 } });
      afterPrint = () => instance.resize();
      window.addEventListener('beforeprint', beforePrint);
      window.addEventListener('afterprint', afterPrint);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      if (beforePrint) window.removeEventListener('beforeprint', beforePrint);
      if (afterPrint) window.removeEventListener('afterprint', afterPrint);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div style={{ position: 'relative', width: '100%', height }} className="vr-chart">
      {!ready ? <Skeleton pos="absolute" inset={0} radius="md" /> : null}
      <div
        ref={box}
        style={{ width: '100%', height: '100%' }}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-rendered={rendered || undefined}
      />
    </div>
  );
}
