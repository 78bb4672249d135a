import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Charts as PNG: Apache ECharts renders SVG on the server (no DOM, no canvas:
 * https://echarts.apache.org/handbook/en/how-to/cross-platform/server/), resvg rasterises it with
 * one known font that has Cyrillic (DejaVu Sans; Debian's fonts-dejavu-core), so the labels read
 * the same on every machine. Null when the font is missing: the caller says so in text.
 */
export function createChartRenderer(deps: { fontFile: string }) {
  const fontFamily = 'DejaVu Sans';
  const available = existsSync(deps.fontFile);
  return {
    available,
    render(option: ChartOption, size = { width: 1000, height: 600 }): Buffer | null {
      if (!available) return null;
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
      try {
        chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily }, ...option });
        const svg = chart.renderToSVGString();
        return new Resvg(svg, { font: { fontFiles: [deps.fontFile], loadSystemFonts: false, defaultFontFamily: fontFamily }, background: '#ffffff' })
          .render()
          .asPng();
      } finally {
        chart.dispose();
      }
    },
  };
}
export type ChartRenderer = ReturnType<typeof createChartRenderer>;
