/**
 * Predicted against actual improvement of the executed predictions: a point each, on the diagonal
 * when the prediction was right, above it when it did better. A point opens its experiment.
 */
import type { KeyboardEvent } from 'react';
import { Axis, GlyphSeries, Grid, LineSeries, XYChart } from '@visx/xychart';
import type { GlyphProps } from '@visx/xychart';
import { useNavigation } from '../layout/navigation';
import { ChartFrame } from './ChartFrame';
import { CHART_MARGIN, chartTheme, SERIES_COLORS } from './chartTheme';
import { sharedDomain, type PredictionPoint } from './predictionAccuracy';

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
const px = (p: { predicted: number }) => p.predicted;
const py = (p: { actual: number }) => p.actual;

function PredictionGlyph({ x, y, datum }: Pick<GlyphProps<PredictionPoint>, 'x' | 'y' | 'datum'>) {
  const nav = useNavigation();
  const experimentId = datum.experimentId;
  const open = () => {
    if (experimentId) nav.openExperiment(experimentId);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    open();
  };
  const words = `${datum.component}: ${datum.title}; predicted ${signed(datum.predicted)}, actual ${signed(datum.actual)}`;
  return (
    <g
      role={experimentId ? 'button' : 'img'}
      tabIndex={experimentId ? 0 : undefined}
      className="prediction-point"
      transform={`translate(${x}, ${y})`}
      aria-label={experimentId ? `${words}: open its experiment` : words}
      onClick={open}
      onKeyDown={onKeyDown}
      data-testid="prediction-point"
    >
      <title>{words}</title>
      <circle r={4.5} fill={datum.actual >= datum.predicted ? '#3ecf8e' : '#f5b450'} stroke="var(--panel)" strokeWidth={1} />
    </g>
  );
}

/** GlyphSeries calls its renderer as a plain function: the glyph, which uses hooks, is rendered as an element of its own. */
const renderPredictionGlyph = ({ key, x, y, datum }: GlyphProps<PredictionPoint>) => (
  <PredictionGlyph key={key} x={x} y={y} datum={datum} />
);

export function PredictionPlot({ points }: { points: PredictionPoint[] }) {
  const domain = sharedDomain(points);
  const diagonal = domain.map((v) => ({ predicted: v, actual: v }));
  const hits = points.filter((p) => p.actual >= p.predicted).length;
  return (
    <ChartFrame
      testId="prediction-plot"
      attributes={{ 'data-points': points.length }}
      caption={
        <>
          Predicted vs actual improvement{' '}
          <span className="trend-now">
            {points.length ? `${hits} of ${points.length} met or beat their prediction` : 'no prediction executed yet'}
          </span>
        </>
      }
    >
      {(width) => (
        <XYChart
          width={width}
          height={200}
          margin={{ ...CHART_MARGIN, bottom: 32 }}
          theme={chartTheme}
          xScale={{ type: 'linear', domain }}
          yScale={{ type: 'linear', domain }}
          accessibilityLabel="Predicted against actual improvement of executed predictions"
        >
          <Grid numTicks={4} />
          <Axis orientation="bottom" numTicks={4} label="predicted" tickFormat={(v: number) => v.toFixed(2)} />
          <Axis orientation="left" numTicks={4} label="actual" tickFormat={(v: number) => v.toFixed(2)} />
          <LineSeries
            dataKey="a perfect prediction"
            data={diagonal}
            xAccessor={px}
            yAccessor={py}
            stroke={SERIES_COLORS.p50}
            strokeDasharray="4 4"
          />
          <GlyphSeries
            dataKey="predictions"
            data={points}
            xAccessor={px}
            yAccessor={py}
            enableEvents={false}
            renderGlyph={renderPredictionGlyph}
          />
        </XYChart>
      )}
    </ChartFrame>
  );
}
