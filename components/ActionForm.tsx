'use client';

import { useActionState, useEffect, useRef } from 'react';
import type { ActionState } from '@/lib/action-state';
import { CopyLink } from './CopyLink';

type Props = {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  children: React.ReactNode;
  /** Accessible name of the form, for screen readers and tests. */
  label: string;
  className?: string;
  resetOnSuccess?: boolean;
  /** When the action returns a `path`, show it as a copyable link under this label. */
  linkLabel?: string;
};

/** A form bound to a server action, showing its outcome in a live region beside it. */
export function ActionForm({
  action,
  children,
  label,
  className,
  resetOnSuccess,
  linkLabel,
}: Props) {
  const [state, formAction] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok && resetOnSuccess) formRef.current?.reset();
  }, [state, resetOnSuccess]);
  return (
    <form ref={formRef} action={formAction} aria-label={label} className={className}>
      {children}
      {state && !state.ok && (
        <p role="alert" className="form-message form-error">
          {state.message}
        </p>
      )}
      {state?.ok && (
        <div role="status" className="form-message form-success">
          <p>{state.message}</p>
          {linkLabel && state.data?.path && <CopyLink path={state.data.path} label={linkLabel} />}
        </div>
      )}
    </form>
  );
}
