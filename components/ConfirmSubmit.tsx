'use client';

import { useState } from 'react';
import { SubmitButton } from './SubmitButton';

/** A destructive button that asks once more, in place, before it submits its form. */
export function ConfirmSubmit({ label, confirmLabel }: { label: string; confirmLabel: string }) {
  const [armed, setArmed] = useState(false);
  if (!armed) {
    return (
      <button type="button" className="button button-quiet" onClick={() => setArmed(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <SubmitButton variant="danger">{confirmLabel}</SubmitButton>
      <button
        type="button"
        className="button button-quiet"
        onClick={() => setArmed(false)}
        autoFocus
      >
        Cancel
      </button>
    </span>
  );
}
