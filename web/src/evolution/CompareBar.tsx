/** Two versions of one component selected: the older is A, the newer B, and the way to their diff. */
import type { ComponentView } from '../api/evolutionDocuments';
import { useNavigation } from '../layout/navigation';
import type { VersionNodeData } from './lineageModel';

export function CompareBar({
  pair,
  components,
  onKeepOnly,
}: {
  pair: readonly VersionNodeData[];
  components: readonly ComponentView[] | null;
  /** Clear: keep only this version selected. */
  onKeepOnly(id: string): void;
}) {
  const nav = useNavigation();
  const createdAt = (d: VersionNodeData) =>
    components?.find((x) => x.name === d.component)?.versions.find((v) => v.version === d.version)?.created_at ?? '';
  const [a, b] = [...pair].sort((x, y) => createdAt(x).localeCompare(createdAt(y)));
  return (
    <div className="compare-bar" data-testid="compare-bar">
      <span>
        Compare <code>{a!.version.slice(0, 8)}</code> → <code>{b!.version.slice(0, 8)}</code> of {a!.component}
      </span>
      <button
        type="button"
        className="btn btn-sm btn-primary"
        onClick={() => nav.openDiff({ component: a!.component, a: a!.version, b: b!.version })}
      >
        Open diff
      </button>
      <button type="button" className="btn btn-sm" onClick={() => onKeepOnly(b!.component + '@' + b!.version)}>
        Clear
      </button>
    </div>
  );
}
