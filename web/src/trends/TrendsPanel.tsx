/**
 * The Trends tab: plots for what is easier seen than read. The system's last hour, how well
 * predictions came true, and each component's held-out score per version over time. Live: the
 * activity follows the pushed system metrics, the rest the meta events (useMetaStream.ts).
 */
import { useMemo, useState } from 'react';
import { PREDICTIONS_QUERY, type PredictionsResult } from '../api/evolutionDocuments';
import { useExperiments } from '../evolution/useEvolutionData';
import { useMetaRefreshedQuery } from '../state/useMetaStream';
import { ActivityPlots } from './ActivityPlots';
import { executedPredictions } from './predictionAccuracy';
import { PredictionPlot } from './PredictionPlot';
import { scoreHistories } from './scoreHistory';
import { ScorePlot } from './ScorePlot';
import './trends.css';

export function TrendsPanel() {
  const { experiments, error } = useExperiments();
  const [predictions] = useMetaRefreshedQuery<PredictionsResult>(PREDICTIONS_QUERY, 'predictions_updated', 'prediction_settled');
  const histories = useMemo(() => scoreHistories(experiments ?? []), [experiments]);
  const points = useMemo(() => executedPredictions(predictions.data?.predictions ?? []), [predictions.data]);
  // Where the last version's line ends: when the panel opened (it re-renders with every meta event).
  const [openedAt] = useState(() => Date.now());
  return (
    <div className="trends" data-testid="trends-panel">
      <ActivityPlots />
      <section className="trend-section" aria-labelledby="predictions-plot-heading">
        <h3 id="predictions-plot-heading">Predictions</h3>
        {predictions.error ? <div className="inline-error">{predictions.error.message}</div> : null}
        <PredictionPlot points={points} />
      </section>
      <section className="trend-section" aria-labelledby="scores-heading">
        <h3 id="scores-heading">
          Held-out score per version <span className="muted small">· a mark opens its experiment</span>
        </h3>
        {error ? <div className="inline-error">{error}</div> : null}
        {histories.length === 0 ? <p className="muted small">No component has a decided experiment yet.</p> : null}
        <div className="trend-legend" aria-hidden="true">
          <span className="is-promoted">● promoted</span> <span className="is-refused">○ refused</span>{' '}
          <span className="is-rolled_back">× rolled back</span>
        </div>
        {histories.map((h) => (
          <ScorePlot key={h.component} history={h} now={openedAt} />
        ))}
      </section>
    </div>
  );
}
