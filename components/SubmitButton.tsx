'use client';

import { useFormStatus } from 'react-dom';

type Props = {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'quiet';
  disabled?: boolean;
};

/** A submit button that says what it is doing while its form is pending. */
export function SubmitButton({ children, pendingLabel, variant = 'primary', disabled }: Props) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      className={`button button-${variant}`}
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
    >
      {pending ? (pendingLabel ?? 'Working…') : children}
    </button>
  );
}
