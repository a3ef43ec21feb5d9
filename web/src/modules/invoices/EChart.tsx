import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

/**
 * A tiny ECharts wrapper: the library is loaded on first use (its own chunk), only the pie chart is registered,
 * and the chart follows its box's size.
 */
export function EChart({ option, height = 180, label }: { option: EChartsCoreOption; height?: number; label?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ setOption: (o: EChartsCoreOption, notMerge?: boolean) => void; dispose: () => void; resize: () => void } | null>(
    null,
  );
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void (async () => {
      const [core, charts, components, renderers] = await Promise.all([
        import('echarts/core'),
        import('echarts/charts'),
        import('echarts/components'),
        import('echarts/renderers'),
      ]);
      if (disposed || !box.current) return;
      core.use([charts.PieChart, components.TooltipComponent, components.LegendComponent, renderers.SVGRenderer]);
      const instance = core.init(box.current, undefined, { renderer: 'svg' });
      instance.setOption(latest.current);
      chart.current = instance;
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(box.current);
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} role="img" aria-label={label} />;
}
