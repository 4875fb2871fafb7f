/** Experiments waiting for a person, visible from every tab. */
import { pendingApprovals, useExperiments } from '../evolution/useEvolutionData';

export function PendingBadge({ onOpen }: { onOpen(id: string): void }) {
  const { experiments } = useExperiments();
  const pending = pendingApprovals(experiments);
  if (pending.length === 0) return null;
  return (
    <button
      type="button"
      className="pending-badge"
      onClick={() => onOpen(pending[0]!.id)}
      data-testid="pending-badge"
      title="Experiments waiting for your decision"
    >
      <span className="count-badge">{pending.length}</span> awaiting approval
    </button>
  );
}
