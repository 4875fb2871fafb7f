/** Any two versions of a component, side by side or unified, highlighted, with line numbers and a summary. */
import { memo, useEffect, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { COMPONENT_DIFF_QUERY, type ComponentDiffResult, type ComponentView } from '../api/evolutionDocuments';
import { ToggleButton } from '../components/VizToolbar';
import { useComponents } from '../evolution/useEvolutionData';
import { useNavigation } from '../layout/navigation';
import { changedRegions, changeSummary, paramChanges, sideBySideRows, type SideCell } from './diffModel';
import { tokenizeJsLine } from './jsTokenizer';
import './diff.css';

type Mode = 'split' | 'unified';
/** Changed lines with a little context, or every line of the file. */
type Scope = 'changes' | 'file';

const Code = memo(({ text }: { text: string }) => (
  <>
    {tokenizeJsLine(text).map((t, i) =>
      t.kind === 'plain' ? (
        <span key={i}>{t.text}</span>
      ) : (
        <span key={i} className={`tok-${t.kind}`}>
          {t.text}
        </span>
      ),
    )}
  </>
));

function defaultTarget(components: readonly ComponentView[]) {
  const c = components.find((x) => x.versions.length > 1) ?? components[0];
  if (!c) return null;
  const current = c.versions.find((v) => v.version === c.current_version);
  const a = current?.parents[0] ?? c.versions[0]!.version;
  return { component: c.name, a, b: c.current_version };
}

export function DiffPanel() {
  const nav = useNavigation();
  const { components } = useComponents();
  const [mode, setMode] = useState<Mode>('split');
  const [scope, setScope] = useState<Scope>('changes');
  const context = scope === 'file' ? 'all' : null;
  const target = nav.diff ?? (components ? defaultTarget(components) : null);
  const component = components?.find((c) => c.name === target?.component) ?? null;
  const versions = useMemo(
    () => [...(component?.versions ?? [])].sort((x, y) => x.created_at.localeCompare(y.created_at)),
    [component],
  );
  const [{ data, fetching, error, operation }] = useQuery<ComponentDiffResult>({
    query: COMPONENT_DIFF_QUERY,
    variables: { id: target?.component ?? '', a: target?.a ?? '', b: target?.b ?? '', context },
    pause: !target,
  });
  // urql keeps the previous result while the next loads: show it only if it answers the current question.
  const current =
    data?.component_diff &&
    target &&
    data.component_diff.version_a === target.a &&
    data.component_diff.version_b === target.b &&
    operation?.variables?.context === context;
  const diff = current ? data.component_diff : null;
  const rows = useMemo(() => (diff ? sideBySideRows(diff.hunks) : []), [diff]);
  const va = versions.find((v) => v.version === target?.a);
  const vb = versions.find((v) => v.version === target?.b);
  const params = va && vb ? paramChanges(va.params, vb.params) : [];
  const set = (patch: Partial<{ component: string; a: string; b: string }>) => {
    if (!target) return;
    const next = { ...target, ...patch };
    if (patch.component && patch.component !== target.component) {
      const c = components?.find((x) => x.name === patch.component);
      const d = c ? defaultTarget([c]) : null;
      if (d) Object.assign(next, d);
    }
    nav.openDiff(next);
  };
  // Until a diff is asked for, the default one becomes the navigation's (so links and tabs agree).
  const { diff: askedFor, openDiff } = nav;
  useEffect(() => {
    if (!askedFor && target && components) openDiff(target);
  }, [askedFor, target, components, openDiff]);
  const label = (v: string) => {
    const ver = versions.find((x) => x.version === v);
    const tags = [v === component?.current_version ? 'current' : null, ver?.created_by.kind].filter(Boolean).join(', ');
    return `${v.slice(0, 8)}${tags ? ` (${tags})` : ''}`;
  };

  return (
    <div className="viz diff-panel" data-testid="diff-panel">
      <div className="panel-toolbar viz-toolbar diff-toolbar">
        <h2 className="panel-title">Diff</h2>
        <select
          className="select select-sm"
          aria-label="Component"
          value={target?.component ?? ''}
          onChange={(e) => set({ component: e.target.value })}
        >
          {(components ?? []).map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          className="select select-sm"
          aria-label="Version A"
          value={target?.a ?? ''}
          onChange={(e) => set({ a: e.target.value })}
        >
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {label(v.version)}
            </option>
          ))}
        </select>
        <span className="muted">→</span>
        <select
          className="select select-sm"
          aria-label="Version B"
          value={target?.b ?? ''}
          onChange={(e) => set({ b: e.target.value })}
        >
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {label(v.version)}
            </option>
          ))}
        </select>
        <span className="toolbar-spacer" />
        <Segmented
          label="Diff extent"
          value={scope}
          onChange={setScope}
          options={[
            ['changes', 'Changes only'],
            ['file', 'Whole file'],
          ]}
        />
        <Segmented
          label="Diff layout"
          value={mode}
          onChange={setMode}
          options={[
            ['split', 'Side by side'],
            ['unified', 'Unified'],
          ]}
        />
      </div>
      <div className="diff-summary" data-testid="diff-summary">
        {diff ? (
          <>
            <span className="diff-stat">
              <span className="add">+{diff.added}</span> <span className="del">−{diff.removed}</span>
            </span>
            <span>{changeSummary(diff.added, diff.removed, changedRegions(diff.hunks))}</span>
            {params.length ? (
              <span className="diff-params">
                · {params.map((p) => `${p.name}: ${p.from ?? '—'} → ${p.to ?? '—'}`).join(', ')}
              </span>
            ) : null}
            <span className="toolbar-spacer" />
            {component ? <span className="muted small mono-wrap">{component.file_path}</span> : null}
          </>
        ) : fetching ? (
          <span className="muted">Loading…</span>
        ) : !target ? (
          <span className="muted">Pick a component and two versions.</span>
        ) : null}
        {error ? <span className="inline-error">{error.graphQLErrors[0]?.message ?? error.message}</span> : null}
      </div>
      <div className="diff-scroll">
        {diff && diff.added + diff.removed === 0 ? (
          <div className="viz-empty">
            <div className="viz-empty-title">No differences</div>
          </div>
        ) : null}
        {diff && mode === 'split' ? (
          <table className="diff-table split" data-testid="diff-split">
            <colgroup>
              <col className="ln" />
              <col />
              <col className="ln" />
              <col />
            </colgroup>
            <tbody>
              {rows.map((r, i) =>
                r.kind === 'hunk' ? (
                  <tr key={i} className="diff-hunk">
                    <td colSpan={4}>{r.header}</td>
                  </tr>
                ) : (
                  <tr key={i}>
                    <SplitCell cell={r.left} />
                    <SplitCell cell={r.right} />
                  </tr>
                ),
              )}
            </tbody>
          </table>
        ) : null}
        {diff && mode === 'unified' ? (
          <table className="diff-table unified" data-testid="diff-unified">
            <colgroup>
              <col className="ln" />
              <col className="ln" />
              <col />
            </colgroup>
            <tbody>
              {diff.hunks.flatMap((h, hi) => [
                <tr key={`h${hi}`} className="diff-hunk">
                  <td colSpan={3}>{`@@ -${h.old_start},${h.old_lines} +${h.new_start},${h.new_lines} @@`}</td>
                </tr>,
                ...h.lines.map((l, li) => (
                  <tr key={`${hi}:${li}`} className={`op-${l.op}`}>
                    <td className="ln">{l.old_line ?? ''}</td>
                    <td className="ln">{l.new_line ?? ''}</td>
                    <td className="code">
                      <span className="sign">{l.op === 'add' ? '+' : l.op === 'remove' ? '−' : ' '}</span>
                      <Code text={l.text} />
                    </td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}

function Segmented<T extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: T;
  onChange(value: NoInfer<T>): void;
  options: readonly (readonly [NoInfer<T>, string])[];
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <ToggleButton key={v} on={value === v} onToggle={() => onChange(v)}>
          {text}
        </ToggleButton>
      ))}
    </div>
  );
}

function SplitCell({ cell }: { cell: SideCell | null }) {
  if (!cell)
    return (
      <>
        <td className="ln empty" />
        <td className="code empty" />
      </>
    );
  return (
    <>
      <td className="ln">{cell.line}</td>
      <td className={`code op-${cell.op}`}>
        <Code text={cell.text} />
      </td>
    </>
  );
}
