'use client';

import { useState } from 'react';
import type { Party } from '@/lib/framework';
import { useEditorContext } from './EditorContext';

type ValueInputProps = {
  value: string;
  onValue: (value: string) => void;
  label: string;
  path?: string;
  type?: 'text' | 'number';
  className?: string;
  min?: number;
  hideLabel?: boolean;
  suffix?: string;
  /** The amendments composer's choice for this field ("c:<row>:quantity"): see `useProposal`. */
  proposes?: string;
};

/**
 * In "Propose changes", a field an amendment may change stays editable, keeps what is typed to
 * itself, and offers it to the composer when the user leaves it or presses Enter (nothing is
 * written to the document); null when the field writes as usual (or may not be changed).
 */
export function useProposal(choice: string | undefined) {
  const { proposeValue } = useEditorContext();
  return choice && proposeValue ? (value: string) => proposeValue(choice, value) : null;
}

/**
 * An input for a plain (last-writer-wins) value: it writes on every change and, while the
 * user is not in it, follows what others write.
 */
export function ValueInput({
  value,
  onValue,
  label,
  path,
  type = 'text',
  className,
  min,
  hideLabel = true,
  suffix,
  proposes,
}: ValueInputProps) {
  const { readOnly } = useEditorContext();
  const propose = useProposal(proposes);
  const [draft, setDraft] = useState<string | null>(null);
  const offer = () => {
    if (propose && draft !== null && draft !== value) propose(draft);
    setDraft(null);
  };
  const input = (
    <input
      type={type}
      inputMode={type === 'number' ? 'decimal' : undefined}
      min={min}
      className={`ed-input ${className ?? ''}`}
      aria-label={hideLabel ? label : undefined}
      data-field-path={path}
      disabled={readOnly && !propose}
      value={draft ?? value}
      onFocus={() => setDraft(value)}
      onBlur={offer}
      onKeyDown={(event) => {
        if (propose && event.key === 'Enter') offer();
      }}
      onChange={(event) => {
        setDraft(event.target.value);
        if (!propose) onValue(event.target.value);
      }}
    />
  );
  if (hideLabel) {
    return suffix ? (
      <span className="ed-with-suffix">
        {input}
        <span className="ed-suffix" aria-hidden="true">
          {suffix}
        </span>
      </span>
    ) : (
      input
    );
  }
  return (
    <label className="ed-field">
      <span className="ed-label">{label}</span>
      <span className="ed-with-suffix">
        {input}
        {suffix && (
          <span className="ed-suffix" aria-hidden="true">
            {suffix}
          </span>
        )}
      </span>
    </label>
  );
}

/** Parses a non-negative number field: '' is "not set", anything unparsable is ignored. */
export function parseQuantity(raw: string): number | null | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

type SelectProps<T extends string> = {
  value: T | '';
  options: ReadonlyArray<{ value: T; label: string; disabled?: boolean }>;
  onValue: (value: T | '') => void;
  label: string;
  path?: string;
  emptyLabel?: string;
  hideLabel?: boolean;
  className?: string;
  /** The amendments composer's choice for this field: see ValueInput. */
  proposes?: string;
};

export function Select<T extends string>({
  value,
  options,
  onValue,
  label,
  path,
  emptyLabel,
  hideLabel,
  className,
  proposes,
}: SelectProps<T>) {
  const { readOnly } = useEditorContext();
  const propose = useProposal(proposes);
  const known = value === '' || options.some((o) => o.value === value);
  const select = (
    <select
      className={`ed-select ${className ?? ''}`}
      aria-label={hideLabel ? label : undefined}
      data-field-path={path}
      disabled={readOnly && !propose}
      // Proposing, the select keeps showing the common value; the choice goes to the composer.
      value={value}
      onChange={(event) =>
        propose ? propose(event.target.value) : onValue(event.target.value as T | '')
      }
    >
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {!known && <option value={value}>{`Unknown: ${value}`}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  );
  if (hideLabel) return select;
  return (
    <label className="ed-field">
      <span className="ed-label">{label}</span>
      {select}
    </label>
  );
}

export const partyOptions = (parties: Party[]) =>
  parties.map((p) => ({ value: p.id, label: p.name }));

/** The display name of a party id (the id itself for a party no longer in the list). */
export function partyName(parties: Party[], id: string): string {
  return parties.find((p) => p.id === id)?.name ?? id;
}

export type PresenceUser = { clientId: number; id: string; name: string; color: string };

/** Round initials for the people in a place; the full names are in the accessible label. */
export function Avatars({ users, label }: { users: PresenceUser[]; label: string }) {
  if (users.length === 0) return null;
  const names = users.map((u) => u.name).join(', ');
  return (
    <span className="ed-avatars" role="img" aria-label={`${label}: ${names}`}>
      {users.map((u) => (
        <span
          key={u.clientId}
          className="ed-avatar"
          style={{ backgroundColor: u.color }}
          title={u.name}
        >
          {initials(u.name)}
        </span>
      ))}
    </span>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}
