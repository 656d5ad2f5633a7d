'use client';

import { READ_MODE_SHORTCUT } from './useReadMode';

/** One control between the editor and read mode: a toggle button, with its shortcut named. */
export function ReadModeSwitch({
  reading,
  onChange,
}: {
  reading: boolean;
  onChange: (reading: boolean) => void;
}) {
  return (
    <button
      type="button"
      className="button rd-switch"
      aria-pressed={reading}
      aria-keyshortcuts={READ_MODE_SHORTCUT}
      title={`Read the framework as a document (${READ_MODE_SHORTCUT})`}
      onClick={() => onChange(!reading)}
    >
      Read mode <kbd className="rd-kbd">{READ_MODE_SHORTCUT}</kbd>
    </button>
  );
}
