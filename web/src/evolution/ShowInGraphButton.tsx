/** Selects a version in the evolution graph and switches to it. */
import { useNavigation, type VersionRef } from '../layout/navigation';

export function ShowInGraphButton({ version }: { version: VersionRef }) {
  const nav = useNavigation();
  return (
    <button type="button" className="btn btn-sm" onClick={() => nav.showVersion(version)}>
      Show in graph
    </button>
  );
}
