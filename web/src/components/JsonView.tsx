import { useState } from 'react';
import './components.css';

const PREVIEW_CHARS = 4000;

/** Read-only JSON with a size guard and a copy button. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const [full, setFull] = useState(false);
  const [copied, setCopied] = useState(false);
  if (value === undefined || value === null) return <div className="json-empty">{label}: none</div>;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const long = text.length > PREVIEW_CHARS;
  const shown = long && !full ? `${text.slice(0, PREVIEW_CHARS)}\n…` : text;
  return (
    <div className="json-view">
      <div className="json-view-head">
        <span>{label}</span>
        <span className="json-view-actions">
          {long ? (
            <button type="button" className="link-btn" onClick={() => setFull((f) => !f)}>
              {full ? 'Show less' : `Show all (${Math.round(text.length / 1024)} KB)`}
            </button>
          ) : null}
          <button
            type="button"
            className="link-btn"
            onClick={() => {
              void navigator.clipboard?.writeText(text).then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1200);
              });
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </span>
      </div>
      <pre>{shown}</pre>
    </div>
  );
}
