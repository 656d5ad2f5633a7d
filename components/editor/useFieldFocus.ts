'use client';

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FrameworkView } from '@/lib/framework';

/** A field to focus by its path, in the layer that holds it ('' for the framework's own). */
export type FocusTarget = { path: string; layerId: string };

/**
 * Layers around a jump target mount and take their real height right after the jump, which can
 * push the target away: for a short while, bring it back to the centre when it drifts from where
 * the jump put it (until the user scrolls or the target loses focus).
 */
function keepInView(target: HTMLElement, frames = 30) {
  let left = frames;
  let placed = target.getBoundingClientRect().top;
  let userScrolled = false;
  const stop = () => {
    userScrolled = true;
  };
  const events = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;
  for (const name of events) window.addEventListener(name, stop, { once: true, passive: true });
  const check = () => {
    if (userScrolled || document.activeElement !== target || left-- <= 0) {
      for (const name of events) window.removeEventListener(name, stop);
      return;
    }
    if (Math.abs(target.getBoundingClientRect().top - placed) > 48) {
      target.scrollIntoView({ block: 'center' });
      placed = target.getBoundingClientRect().top;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/**
 * Focuses (scrolls to and flashes) a field by its path once the layer holding it is expanded and
 * its body mounted; returns the function that asks for it. Tried again whenever the view changes,
 * since a change can be what renders the field.
 */
export function useFieldFocus({
  view,
  collapsed,
  live,
}: {
  view: FrameworkView | null | undefined;
  collapsed: ReadonlySet<string>;
  live: ReadonlySet<string>;
}): (target: FocusTarget) => void {
  const [pendingFocus, setPendingFocus] = useState<FocusTarget | null>(null);
  useEffect(() => {
    if (!pendingFocus || !view) return;
    if (collapsed.has(pendingFocus.layerId)) return;
    if (pendingFocus.layerId && !live.has(pendingFocus.layerId)) return;
    const frame = requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>(
        `[data-field-path="${CSS.escape(pendingFocus.path)}"]`,
      );
      const section = pendingFocus.layerId
        ? document.getElementById(`layer-${pendingFocus.layerId}`)
        : null;
      const element = target ?? section;
      if (element) {
        const focusable = element.matches('input, select, textarea, button, [contenteditable]')
          ? element
          : (element.querySelector<HTMLElement>(
              'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [contenteditable="true"]',
            ) ?? element);
        focusable.scrollIntoView({ block: 'center' });
        focusable.focus({ preventScroll: true });
        keepInView(focusable);
        element.classList.add('ed-flash');
        window.setTimeout(() => element.classList.remove('ed-flash'), 1200);
      }
      setPendingFocus(null);
    });
    return () => cancelAnimationFrame(frame);
  }, [pendingFocus, collapsed, view, live]);
  return setPendingFocus;
}

/**
 * A reorder (mine or someone else's) moves DOM nodes, and a moved node loses focus: give it
 * back, so typing in a layer that moves keeps going into that layer. `orderKey` is the layer
 * ids in display order.
 */
export function useRefocusAfterMove(orderKey: string | undefined): void {
  const lastFocused = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement) lastFocused.current = event.target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);
  useLayoutEffect(() => {
    const element = lastFocused.current;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (element && lost && element.isConnected) element.focus({ preventScroll: true });
  }, [orderKey]);
}
