import { useState } from 'react';

/**
 * Calls `onChange` while rendering when `value` differs from the value seen in the previous
 * render: React's "adjusting state when a prop changes", so state derived from the old value
 * is reset in the same pass instead of one effect (and one stale frame) later.
 * `onChange` may only set state of the calling component.
 */
export function useOnChange<T>(value: T, onChange: (value: T) => void): void {
  const [seen, setSeen] = useState(value);
  if (!Object.is(seen, value)) {
    setSeen(value);
    onChange(value);
  }
}
