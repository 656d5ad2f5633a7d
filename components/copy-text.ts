/**
 * Copies `text` to the clipboard and resolves whether it did: through the Clipboard API where the
 * page may use it (HTTPS, localhost), else with the older copy command on the text selected in
 * `input`. A page served over plain http from a LAN address has no `navigator.clipboard` at all.
 */
export async function copyText(
  text: string,
  input: HTMLInputElement | HTMLTextAreaElement | null,
): Promise<boolean> {
  // Absent in insecure contexts, whatever the DOM types say.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (clipboard?.writeText) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Refused (permissions, focus): the copy command may still work.
    }
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    // Deprecated, but the only way to copy without the Clipboard API, and kept by every browser.
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
