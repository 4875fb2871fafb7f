/** The Sandbox tab: the experiments list (with the new-experiment form), one experiment's page, or a generated tool's page. */
import { VizToolbar } from '../components/VizToolbar';
import { GeneratedToolPage } from '../generation/GeneratedToolPage';
import { useNavigation } from '../layout/navigation';
import { ExperimentList } from './ExperimentList';
import { ExperimentPage } from './ExperimentPage';
import './experiments.css';

export function ExperimentsPanel() {
  const nav = useNavigation();
  return (
    <div className="viz sandbox" data-testid="sandbox-panel">
      <VizToolbar title="Sandbox" figures="A/B experiments in isolated-vm" />
      <div className="sandbox-scroll">
        {nav.generationId ? (
          <GeneratedToolPage key={nav.generationId} id={nav.generationId} />
        ) : nav.experimentId ? (
          <ExperimentPage key={nav.experimentId} id={nav.experimentId} />
        ) : (
          <ExperimentList />
        )}
      </div>
    </div>
  );
}
