type Props = React.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string };

/** A labelled input with an optional hint tied to it for screen readers. */
export function Field({ label, hint, id, name, ...input }: Props) {
  const inputId = id ?? `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        name={name}
        aria-describedby={hint ? `${inputId}-hint` : undefined}
        {...input}
      />
      {hint && (
        <p id={`${inputId}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
