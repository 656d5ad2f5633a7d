/** How long an item is waited for: the side column is a chunk loaded after the layers. */
const REVEAL_WAIT_MS = 10_000;

/**
 * Waits for `selector` to be on the page (the panel renders a change a frame later, or loads
 * after the layers), then scrolls it into view and moves keyboard focus to it. Returns a cancel
 * function.
 */
export function revealWhenPresent(
  selector: string,
  { smooth = false }: { smooth?: boolean } = {},
): () => void {
  const until = Date.now() + REVEAL_WAIT_MS;
  let frame = 0;
  const look = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el) {
      el.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
      el.focus({ preventScroll: true });
      return;
    }
    if (Date.now() < until) frame = requestAnimationFrame(look);
  };
  frame = requestAnimationFrame(look);
  return () => cancelAnimationFrame(frame);
}
