/** One small time chart of the last hour, a line per series (visx). Its figures are also said in words below it. */
import { Axis, Grid, LineSeries, Tooltip, XYChart } from '@visx/xychart';
import type { ActivityMinute } from '../../../domain/systemActivity';
import { ChartFrame } from './ChartFrame';
import { CHART_MARGIN, chartTheme, formatClock } from './chartTheme';

export interface MinuteSeries {
  key: string;
  color: string;
  value(m: ActivityMinute): number | null;
}

interface Point {
  at: Date;
  value: number;
}
const x = (p: Point) => p.at;
const y = (p: Point) => p.value;

export function MinuteChart({
  title,
  minutes,
  series,
  format,
  testId,
}: {
  title: string;
  minutes: ActivityMinute[];
  series: MinuteSeries[];
  format(v: number): string;
  testId: string;
}) {
  const lines = series.map((s) => ({
    ...s,
    points: minutes.flatMap((m): Point[] => {
      const value = s.value(m);
      return value === null ? [] : [{ at: new Date(m.at), value }];
    }),
  }));
  const last = minutes[minutes.length - 1];
  // The whole hour on the time axis, however few of its minutes have a point.
  const hour = minutes.length ? [new Date(minutes[0]!.at), new Date(last!.at)] : undefined;
  const summary = last
    ? series.map((s) => `${s.key} ${s.value(last) === null ? '—' : format(s.value(last)!)}`).join(', ')
    : 'no data';
  return (
    <ChartFrame
      testId={testId}
      caption={
        <>
          {title} <span className="trend-now">this minute: {summary}</span>
        </>
      }
    >
      {(width) => (
        <XYChart
          width={width}
          height={110}
          margin={{ ...CHART_MARGIN, left: 52 }}
          theme={chartTheme}
          xScale={{ type: 'time', domain: hour }}
          yScale={{ type: 'linear', zero: true, nice: true }}
          accessibilityLabel={`${title} over the last hour; this minute: ${summary}`}
        >
          <Grid columns={false} numTicks={3} />
          <Axis orientation="bottom" numTicks={4} tickFormat={(t: Date) => formatClock(t)} />
          <Axis orientation="left" numTicks={3} tickFormat={(v: number) => format(v)} />
          {lines.map((s) => (
            <LineSeries key={s.key} dataKey={s.key} data={s.points} xAccessor={x} yAccessor={y} stroke={s.color} />
          ))}
          <Tooltip<Point>
            snapTooltipToDatumX
            showVerticalCrosshair
            renderTooltip={({ tooltipData }) => {
              const nearest = tooltipData?.nearestDatum;
              if (!nearest) return null;
              return (
                <div className="trend-tooltip">
                  <strong>{formatClock(nearest.datum.at)}</strong>
                  {Object.entries(tooltipData.datumByKey).map(([key, d]) => (
                    <div key={key}>
                      {key}: {format(d.datum.value)}
                    </div>
                  ))}
                </div>
              );
            }}
          />
        </XYChart>
      )}
    </ChartFrame>
  );
}
