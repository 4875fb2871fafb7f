/**
 * The console forms' one field shape: a `.field` label with its caption above the control, so
 * every form (model settings, new experiment) lays out and reads alike.
 */
import type { InputHTMLAttributes, ReactNode } from 'react';

export function LabelledField({ label, narrow, children }: { label: string; narrow?: boolean; children: ReactNode }) {
  return (
    <label className={narrow ? 'field field-narrow' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'className'>;

/** A labelled text input (`.input-sm`) that hands back the typed text. */
export function TextField({
  label,
  value,
  onChange,
  ...input
}: InputProps & { label: string; value: string; onChange(value: string): void }) {
  return (
    <LabelledField label={label}>
      <input className="input input-sm" value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </LabelledField>
  );
}
