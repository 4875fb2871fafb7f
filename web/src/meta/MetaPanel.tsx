/** The meta control panel: its sections, top to bottom, each a module of its own. */
import { GeneratedToolsSection } from '../generation/GeneratedToolsSection';
import { AutonomySection } from './AutonomySection';
import { ChangeRulesEditor } from './ChangeRulesEditor';
import { MetricsSection } from './MetricsSection';
import { ModelSection } from './ModelSection';
import { PendingApprovals } from './PendingApprovals';
import { PredictionsSection } from './PredictionsSection';
import { ScheduleSection } from './ScheduleSection';
import { TaughtCasesSection } from './TaughtCasesSection';
import './meta.css';

export function MetaPanel() {
  return (
    <div className="meta">
      <div className="panel-toolbar meta-toolbar">
        <h2 className="panel-title">Meta control</h2>
      </div>
      <div className="meta-scroll">
        <AutonomySection />
        <PendingApprovals />
        <PredictionsSection />
        <TaughtCasesSection />
        <GeneratedToolsSection />
        <ChangeRulesEditor />
        <ScheduleSection />
        <MetricsSection />
        <ModelSection />
      </div>
    </div>
  );
}
