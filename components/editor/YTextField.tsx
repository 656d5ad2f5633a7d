'use client';

import { useEffect, useRef, type FocusEvent, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { replaceText } from '@/lib/framework';
import { useEditorContext } from './EditorContext';
import { useProposal } from './fields';

type Field = HTMLInputElement | HTMLTextAreaElement;
type Delta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

/** Where a caret at `pos` in the old text lands after a remote change described by `delta`. */
export function transformPosition(pos: number, delta: Delta): number {
  let oldIndex = 0;
  let shift = 0;
  for (const op of delta) {
    if (oldIndex >= pos) break;
    if (op.retain) oldIndex += op.retain;
    else if (op.insert !== undefined) {
      // Text inserted before the caret pushes it right; at the caret it stays before it.
      if (oldIndex < pos) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete) {
      if (oldIndex < pos) shift -= Math.min(op.delete, pos - oldIndex);
      oldIndex += op.delete;
    }
  }
  return Math.max(0, pos + shift);
}

/**
 * Binds an <input> or <textarea> to a Y.Text: typing writes the minimal change (replaceText)
 * with this editor's origin; remote changes update the field and keep the caret where the
 * user left it, shifted by what was inserted or removed before it.
 */
export function useYTextBinding<T extends HTMLInputElement | HTMLTextAreaElement>(
  text: Y.Text | null,
) {
  const { origin } = useEditorContext();
  const ref = useRef<T>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || !text) return;
    if (el.value !== text.toString()) el.value = text.toString();
    const onInput = () => {
      const doc = text.doc;
      if (!doc) return;
      doc.transact(() => replaceText(text, el.value), origin);
    };
    const onChange = (event: Y.YTextEvent) => {
      const value = text.toString();
      if (el.value === value) return;
      const focused = document.activeElement === el;
      const start = el.selectionStart ?? 0;
      const end = el.selectionEnd ?? 0;
      const delta = event.delta as Delta;
      el.value = value;
      if (focused) {
        el.setSelectionRange(transformPosition(start, delta), transformPosition(end, delta));
      }
    };
    el.addEventListener('input', onInput);
    text.observe(onChange);
    return () => {
      el.removeEventListener('input', onInput);
      text.unobserve(onChange);
    };
  }, [text, origin]);

  return ref;
}

type FieldProps = {
  text: Y.Text | null;
  label: string;
  /** Field path from lib/framework (gaps panel links here). */
  path?: string;
  multiline?: boolean;
  placeholder?: string;
  className?: string;
  /** Show the label visibly (default) or only to assistive technology. */
  hideLabel?: boolean;
  id?: string;
  /** The amendments composer's choice for this field (see `useProposal` in fields.tsx). */
  proposes?: string;
};

/** A labelled text field bound live to a Y.Text. */
export function YTextField({
  text,
  label,
  path,
  multiline,
  placeholder,
  className,
  hideLabel,
  id,
  proposes,
}: FieldProps) {
  const { readOnly } = useEditorContext();
  const propose = useProposal(proposes);
  // Proposing, the field is not bound: what is typed stays here until it is offered.
  const bound = propose ? null : text;
  const inputRef = useYTextBinding<HTMLInputElement>(multiline ? null : bound);
  const areaRef = useYTextBinding<HTMLTextAreaElement>(multiline ? bound : null);
  const offer = (el: Field) => {
    const now = text?.toString() ?? '';
    if (propose && el.value !== now) propose(el.value);
    el.value = now;
  };
  // Proposing, the key follows the common text, so the field shows it again after an offer.
  const fieldKey = propose ? `proposing:${text?.toString() ?? ''}` : 'bound';
  const common = {
    id,
    'aria-label': hideLabel ? label : undefined,
    'data-field-path': path,
    disabled: (readOnly && !propose) || !text,
    placeholder,
    defaultValue: text?.toString() ?? '',
    className: `ed-input ${className ?? ''}`,
    onBlur: propose ? (event: FocusEvent<Field>) => offer(event.currentTarget) : undefined,
    onKeyDown: propose
      ? (event: KeyboardEvent<Field>) => {
          // A single line offers on Enter; several lines on Ctrl+Enter (Enter is a new line).
          if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) {
            offer(event.currentTarget);
          }
        }
      : undefined,
  };
  const control = multiline ? (
    <textarea key={fieldKey} ref={areaRef} rows={2} {...common} />
  ) : (
    <input key={fieldKey} ref={inputRef} type="text" {...common} />
  );
  if (hideLabel) return control;
  return (
    <label className="ed-field">
      <span className="ed-label">{label}</span>
      {control}
    </label>
  );
}
