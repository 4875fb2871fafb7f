/** The head of a page in the experiments (Sandbox) tab (an experiment, a generated tool): back to the list, the title and its status. */
import type { ReactNode } from 'react';
import './experiments.css';

export interface PageStatus {
  /** styles/panels.css `exp-*`. */
  className: string;
  words: string;
  testId: string;
}

export function ExperimentsPageHead({
  title,
  status,
  onBack,
  children,
}: {
  title: string;
  status: PageStatus;
  onBack(): void;
  children?: ReactNode;
}) {
  return (
    <div className="experiment-head">
      <button type="button" className="link-btn" onClick={onBack}>
        ← All experiments
      </button>
      <h3>
        {title}{' '}
        <span className={`status-pill ${status.className}`} data-testid={status.testId}>
          {status.words}
        </span>
      </h3>
      {children}
    </div>
  );
}
