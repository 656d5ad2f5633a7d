'use client';

import { useReview } from '@/components/review/ReviewContext';
import type { ThreadView } from '@/components/review/api';
import { formatUtc } from '@/lib/export/model';

/** Shows a thread in the comments panel (where replies and resolving live) and focuses it. */
function openInPanel(focus: (id: string) => void, id: string) {
  focus(id);
  // After the panel has rendered the thread as focused.
  requestAnimationFrame(() => {
    const thread = document.querySelector<HTMLElement>('.ed-side .rv-thread-focused');
    thread?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    thread?.querySelector<HTMLElement>('textarea, button')?.focus();
  });
}

/**
 * A layer's open comment threads beside its text, as in a word processor's margin, with a way
 * to comment on the layer. Replies, resolving and filters stay in the comments panel, which also
 * serves keyboard users and small screens.
 */
export function MarginThreads({ layerId, title }: { layerId: string; title: string }) {
  const review = useReview();
  const threads = review.threads.filter((t) => t.layerId === layerId && !t.resolved);
  return (
    <aside className="rd-margin" aria-label={`Comments on ${title}`}>
      {threads.length === 0 && <p className="hint">No open comments.</p>}
      {threads.map((t) => (
        <MarginThread
          key={t.id}
          thread={t}
          focused={review.focusedThread === t.id}
          onOpen={() => openInPanel(review.focusThread, t.id)}
        />
      ))}
      {review.canComment && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => review.startThread({ layerId, anchor: null, quote: null })}
        >
          Comment on this layer
        </button>
      )}
    </aside>
  );
}

function MarginThread({
  thread,
  focused,
  onOpen,
}: {
  thread: ThreadView;
  focused: boolean;
  onOpen: () => void;
}) {
  const [first, ...replies] = thread.comments;
  const author = (c: ThreadView['comments'][number]) =>
    `${c.authorName ?? 'Former member'}${c.authorDelegation ? ` for ${c.authorDelegation}` : ''}`;
  const body = (c: ThreadView['comments'][number]) =>
    c.hidden ? 'Hidden by an owner.' : c.deleted ? 'Deleted by its author.' : c.body;
  return (
    <article
      className={`rd-margin-thread${focused ? ' rd-margin-thread-focused' : ''}`}
      aria-label={`Comment by ${first ? author(first) : 'someone'}`}
    >
      {thread.quote && <blockquote className="rv-quote">{thread.quote}</blockquote>}
      {first && (
        <p>
          <strong>{author(first)}</strong>{' '}
          <span className="hint">{formatUtc(first.createdAt)}</span>
          <br />
          {body(first)}
        </p>
      )}
      {replies.map((c) => (
        <p key={c.id} className="rd-margin-reply">
          <strong>{author(c)}</strong>: {body(c)}
        </p>
      ))}
      <button type="button" className="button button-quiet" onClick={onOpen}>
        Reply or resolve
      </button>
    </article>
  );
}
