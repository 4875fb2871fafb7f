/**
 * One component's held-out score per version over time (scoreHistory.ts): the version in use as a
 * stepped line, each decision as a mark. A mark is a button: a click or Enter opens the experiment.
 */
import type { KeyboardEvent } from 'react';
import { Axis, GlyphSeries, Grid, LineSeries, XYChart } from '@visx/xychart';
import type { GlyphProps } from '@visx/xychart';
import { useNavigation } from '../layout/navigation';
import { ChartFrame } from './ChartFrame';
import { CHART_MARGIN, chartTheme, formatDay, MARK_COLORS, SERIES_COLORS } from './chartTheme';
import { stepLine, type ComponentScoreHistory, type ScoreMark, type ScoreMarkKind, type ScoreStep } from './scoreHistory';

const MARK_WORDS: Record<ScoreMarkKind, string> = { promoted: 'promoted', refused: 'refused', rolled_back: 'rolled back' };
const score = (v: number) => v.toFixed(3);
const lineX = (s: ScoreStep) => new Date(s.at);
const lineY = (s: ScoreStep) => s.score;

function MarkGlyph({ x, y, datum }: Pick<GlyphProps<ScoreMark>, 'x' | 'y' | 'datum'>) {
  const nav = useNavigation();
  const open = () => nav.openExperiment(datum.experimentId);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    open();
  };
  const color = MARK_COLORS[datum.kind];
  return (
    <g
      role="button"
      tabIndex={0}
      className={`score-mark is-${datum.kind}`}
      transform={`translate(${x}, ${y})`}
      aria-label={`${datum.version} ${MARK_WORDS[datum.kind]} on ${formatDay(datum.at)}, held-out score ${score(datum.score)}: open its experiment`}
      onClick={open}
      onKeyDown={onKeyDown}
      data-testid="score-mark"
      data-kind={datum.kind}
    >
      <title>{`${datum.version} ${MARK_WORDS[datum.kind]} · ${score(datum.score)}`}</title>
      {datum.kind === 'rolled_back' ? (
        <path d="M-4,-4L4,4M-4,4L4,-4" stroke={color} strokeWidth={2} />
      ) : (
        <circle r={4.5} fill={datum.kind === 'promoted' ? color : 'var(--panel)'} stroke={color} strokeWidth={1.6} />
      )}
    </g>
  );
}

/** GlyphSeries calls its renderer as a plain function: the glyph, which uses hooks, is rendered as an element of its own. */
const renderMarkGlyph = ({ key, x, y, datum }: GlyphProps<ScoreMark>) => <MarkGlyph key={key} x={x} y={y} datum={datum} />;

export function ScorePlot({ history, now }: { history: ComponentScoreHistory; now: number }) {
  const current = history.steps[history.steps.length - 1]!;
  return (
    <ChartFrame
      testId="score-plot"
      attributes={{ 'data-component': history.component }}
      caption={
        <>
          <strong>{history.component}</strong>{' '}
          <span className="trend-now">
            now {current.version} · held-out score {score(current.score)} · {history.marks.length} decisions
          </span>
        </>
      }
    >
      {(width) => (
        <XYChart
          width={width}
          height={120}
          margin={CHART_MARGIN}
          theme={chartTheme}
          xScale={{ type: 'time' }}
          yScale={{ type: 'linear', nice: true }}
          accessibilityLabel={`${history.component}: held-out score per version over time`}
        >
          <Grid columns={false} numTicks={3} />
          <Axis orientation="bottom" numTicks={4} tickFormat={(t: Date) => formatDay(t)} />
          <Axis orientation="left" numTicks={3} tickFormat={(v: number) => v.toFixed(2)} />
          <LineSeries
            dataKey="version in use"
            data={stepLine(history.steps, now)}
            xAccessor={lineX}
            yAccessor={lineY}
            stroke={SERIES_COLORS.score}
          />
          <GlyphSeries
            dataKey="decisions"
            data={history.marks}
            xAccessor={lineX}
            yAccessor={lineY}
            enableEvents={false}
            renderGlyph={renderMarkGlyph}
          />
        </XYChart>
      )}
    </ChartFrame>
  );
}
