/** A person's answer to something a workflow holds for them (an experiment, a generated tool): an optional reason, Approve, Reject. */
import { useState } from 'react';
import './components.css';

export interface DecisionActionsProps {
  /** Whether the decision is the person's now. */
  enabled: boolean;
  /** Which answer is being sent, if any. */
  sending: 'approve' | 'reject' | null;
  onAnswer(approve: boolean, reason: string | null): void;
  /** The two buttons' data-testid. */
  testIds: { approve: string; reject: string };
}

const ANSWERS = [
  { approve: true, key: 'approve', label: 'Approve', busy: 'Approving…', className: 'btn btn-sm btn-primary' },
  { approve: false, key: 'reject', label: 'Reject', busy: 'Rejecting…', className: 'btn btn-sm btn-danger' },
] as const;

export function DecisionActions({ enabled, sending, onAnswer, testIds }: DecisionActionsProps) {
  const [reason, setReason] = useState('');
  const disabled = !enabled || sending !== null;
  return (
    <div className="decision-actions">
      <input
        className="input input-sm"
        placeholder="Reason (optional)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        disabled={disabled}
        aria-label="Reason for the decision"
      />
      {ANSWERS.map((a) => (
        <button
          key={a.key}
          type="button"
          className={a.className}
          disabled={disabled}
          data-testid={testIds[a.key]}
          onClick={() => onAnswer(a.approve, reason.trim() || null)}
        >
          {sending === a.key ? a.busy : a.label}
        </button>
      ))}
    </div>
  );
}
