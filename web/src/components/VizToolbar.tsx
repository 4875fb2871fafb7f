/**
 * The head of a visualisation tab (Execution, Evolution, Sandbox): its title, a line of figures,
 * then its controls at the right, with the pressed-while-on button those controls toggle with.
 */
import type { ReactNode } from 'react';

export function VizToolbar({
  title,
  figures,
  figuresTestId,
  children,
}: {
  title: string;
  figures: ReactNode;
  /** The figures' `data-testid`, for the tabs whose counts the browser tests read. */
  figuresTestId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="panel-toolbar viz-toolbar">
      <h2 className="panel-title">{title}</h2>
      <span className="toolbar-meta" data-testid={figuresTestId}>
        {figures}
      </span>
      {children ? (
        <>
          <span className="toolbar-spacer" />
          {children}
        </>
      ) : null}
    </div>
  );
}

/** A toolbar button that stays pressed (`is-on`, aria-pressed) while its setting is on. */
export function ToggleButton({
  on,
  onToggle,
  title,
  children,
}: {
  on: boolean;
  onToggle(): void;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button type="button" className={`btn btn-sm${on ? ' is-on' : ''}`} aria-pressed={on} onClick={onToggle} title={title}>
      {children}
    </button>
  );
}
