/** The console's look for visx charts: its dark panel, grid and text colours (styles.css :root), one colour per series. */
import { buildChartTheme } from '@visx/xychart';

export const SERIES_COLORS = {
  turns: '#4fd6a4',
  errors: '#ff6b6b',
  p50: '#5cc9e6',
  p99: '#b892ff',
  score: '#7c9cff',
} as const;

export const MARK_COLORS = { promoted: '#3ecf8e', refused: '#f5b450', rolled_back: '#ff5c5c' } as const;

export const chartTheme = buildChartTheme({
  backgroundColor: 'transparent',
  colors: Object.values(SERIES_COLORS),
  gridColor: '#1f2735',
  gridColorDark: '#2c3647',
  tickLength: 3,
  svgLabelSmall: { fill: '#8d97aa', fontSize: 10 },
  svgLabelBig: { fill: '#d9dfea', fontSize: 11 },
  xAxisLineStyles: { stroke: '#2c3647' },
  yAxisLineStyles: { stroke: '#2c3647' },
  xTickLineStyles: { stroke: '#2c3647' },
  yTickLineStyles: { stroke: '#2c3647' },
  htmlLabel: { color: '#d9dfea', fontSize: 11 },
});

export const CHART_MARGIN = { top: 8, right: 12, bottom: 24, left: 40 };
const hhmm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
export const formatClock = (t: Date | number) => hhmm.format(t);
export const formatDay = (t: Date | number) => dayMonth.format(t);
