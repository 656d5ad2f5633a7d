'use client';

import { useEffect, useId, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { useEditorContext } from '@/components/editor/EditorContext';
import { MAX_COMMENT_LENGTH } from '@/lib/review/wire';
import { reviewFetch, type ThreadView } from './api';
import { useReview } from './ReviewContext';
import { Time } from '@/components/time/Time';

type Filter = 'open' | 'resolved' | 'mine' | 'all';

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Whether an anchored passage is gone: its range collapsed or its text node was removed. */
function passageDeleted(doc: Y.Doc, anchor: { start: string; end: string }): boolean {
  try {
    const start = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(fromBase64(anchor.start)),
      doc,
    );
    const end = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(fromBase64(anchor.end)),
      doc,
    );
    if (!start || !end) return true;
    return start.type === end.type && end.index <= start.index;
  } catch {
    return true;
  }
}

/** Re-renders on every document change (to re-check anchors). */
function useDocVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  return version;
}

/** The comment sidebar: threads by layer (open first), filters, composer, replies, resolve. */
export function CommentsPanel() {
  const review = useReview();
  const { doc, layers } = useEditorContext();
  const version = useDocVersion(doc);
  const [filter, setFilter] = useState<Filter>('open');
  const filterId = useId();

  const deleted = useMemo(() => {
    const out = new Set<string>();
    for (const t of review.threads) if (t.anchor && passageDeleted(doc, t.anchor)) out.add(t.id);
    return out;
    // `version` recomputes after every document change.
  }, [review.threads, doc, version]); // eslint-disable-line react-hooks/exhaustive-deps

  const shown = review.threads.filter((t) =>
    filter === 'open'
      ? !t.resolved
      : filter === 'resolved'
        ? t.resolved
        : filter === 'mine'
          ? t.comments.some((c) => c.authorId === review.me.id)
          : true,
  );
  const byLayer = layers
    .map((layer) => ({
      layer,
      threads: shown
        .filter((t) => t.layerId === layer.id)
        .sort((a, b) => Number(a.resolved) - Number(b.resolved)),
    }))
    .filter((g) => g.threads.length > 0);
  const openCount = review.threads.filter((t) => !t.resolved).length;

  return (
    <section className="ed-side-panel rv-panel" aria-label="Comments">
      <div className="rv-panel-head">
        <h2 className="ed-side-title">Comments ({openCount} open)</h2>
        <label htmlFor={filterId} className="visually-hidden">
          Show comments
        </label>
        <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="mine">Mine</option>
          <option value="all">All</option>
        </select>
      </div>
      {review.pending && <Composer />}
      {byLayer.length === 0 && !review.pending && (
        <p className="hint">
          {review.canComment
            ? 'No comments here. Select text in a narrative and choose “Comment”.'
            : 'No comments here.'}
        </p>
      )}
      {byLayer.map(({ layer, threads }) => (
        <div key={layer.id} className="rv-layer-group">
          <h3 className="rv-layer-title">{layer.title.trim() || 'Untitled layer'}</h3>
          {threads.map((thread) => (
            <Thread key={thread.id} thread={thread} passageDeleted={deleted.has(thread.id)} />
          ))}
        </div>
      ))}
    </section>
  );
}

function Composer() {
  const review = useReview();
  const { layers } = useEditorContext();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const pending = review.pending!;
  const layer = layers.find((l) => l.id === pending.layerId);
  const submit = async () => {
    setError(null);
    try {
      await reviewFetch(`${review.base}/comments`, {
        method: 'POST',
        // The server quotes the passage from the document at the anchor itself.
        body: { layerId: pending.layerId, body, anchor: pending.anchor },
      });
      setBody('');
      review.cancelThread();
      review.refreshThreads();
      review.bumpActivity();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form
      className="rv-composer"
      aria-label="New comment"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="rv-note">On {layer?.title.trim() || 'this layer'}</p>
      {pending.quote && <blockquote className="rv-quote">{pending.quote}</blockquote>}
      <label htmlFor={id}>Comment</label>
      <textarea
        id={id}
        rows={3}
        value={body}
        maxLength={MAX_COMMENT_LENGTH}
        autoFocus
        placeholder="Write a comment; @Name mentions a member"
        onChange={(e) => setBody(e.target.value)}
      />
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
      <div className="rv-row">
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Post comment
        </button>
        <button type="button" className="button button-quiet" onClick={review.cancelThread}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Thread({ thread, passageDeleted }: { thread: ThreadView; passageDeleted: boolean }) {
  const review = useReview();
  const [reply, setReply] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const url = `${review.base}/comments/${thread.id}`;
  const first = thread.comments[0];
  const focused = review.focusedThread === thread.id;

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      review.refreshThreads();
      review.bumpActivity();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const show = () => {
    review.focusThread(thread.id);
    document
      .getElementById(`layer-${thread.layerId}`)
      ?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  return (
    <article
      className={`rv-thread${thread.resolved ? ' rv-thread-resolved' : ''}${focused ? ' rv-thread-focused' : ''}`}
      data-thread-item={thread.id}
      tabIndex={-1}
      aria-current={focused ? 'true' : undefined}
      aria-label={`Thread by ${first?.authorName ?? 'someone'}${thread.quote ? ` on “${thread.quote}”` : ''}`}
    >
      {thread.quote && (
        <blockquote className="rv-quote">
          {thread.quote}
          {passageDeleted && <span className="rv-deleted"> (passage deleted)</span>}
        </blockquote>
      )}
      {thread.resolved && <p className="rv-note">Resolved</p>}
      <ol className="rv-comments">
        {thread.comments.map((c) => (
          <li key={c.id} className="rv-comment">
            <p className="rv-meta">
              <strong>{c.authorName ?? 'Former member'}</strong>
              {c.authorDelegation && (
                <span className="rv-party"> for {c.authorDelegation}</span>
              )} · <Time at={c.createdAt} />
              {c.edited && !c.deleted && !c.hidden ? ' · edited' : ''}
            </p>
            {c.hidden ? (
              <p className="rv-note">Hidden by an owner.</p>
            ) : c.deleted ? (
              <p className="rv-note">Deleted by its author.</p>
            ) : editing === c.id ? (
              <form
                onSubmit={async (e) => {
                  e.preventDefault();
                  if (
                    await run(() =>
                      reviewFetch(`${url}/messages/${c.id}`, {
                        method: 'PATCH',
                        body: { body: draft },
                      }),
                    )
                  )
                    setEditing(null);
                }}
              >
                <label htmlFor={`${id}-edit-${c.id}`} className="visually-hidden">
                  Edit comment
                </label>
                <textarea
                  id={`${id}-edit-${c.id}`}
                  value={draft}
                  maxLength={MAX_COMMENT_LENGTH}
                  onChange={(e) => setDraft(e.target.value)}
                />
                <button type="submit" className="button">
                  Save
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setEditing(null)}
                >
                  Cancel
                </button>
              </form>
            ) : (
              // Text, never HTML: React escapes it.
              <p className="rv-body">{c.body}</p>
            )}
            {!c.deleted && !c.hidden && editing !== c.id && (
              <div className="rv-row">
                {c.authorId === review.me.id && (
                  <>
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() => {
                        setEditing(c.id);
                        setDraft(c.body);
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() =>
                        void run(() => reviewFetch(`${url}/messages/${c.id}`, { method: 'DELETE' }))
                      }
                    >
                      Delete
                    </button>
                  </>
                )}
                {review.canHide && (
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      void run(() =>
                        reviewFetch(`${url}/messages/${c.id}`, {
                          method: 'POST',
                          body: { hide: true },
                        }),
                      )
                    }
                  >
                    Hide
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      <div className="rv-row">
        {thread.anchor && !passageDeleted && (
          <button type="button" className="button button-quiet" onClick={show}>
            Show in text
          </button>
        )}
        {review.canComment && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() =>
              void run(() =>
                reviewFetch(url, { method: 'PATCH', body: { resolved: !thread.resolved } }),
              )
            }
          >
            {thread.resolved ? 'Reopen' : 'Resolve'}
          </button>
        )}
      </div>
      {review.canComment && !thread.resolved && (
        <form
          className="rv-reply"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run(() => reviewFetch(url, { method: 'POST', body: { body: reply } })))
              setReply('');
          }}
        >
          <label htmlFor={`${id}-reply`} className="visually-hidden">
            Reply
          </label>
          <textarea
            id={`${id}-reply`}
            rows={1}
            placeholder="Reply…"
            value={reply}
            maxLength={MAX_COMMENT_LENGTH}
            onChange={(e) => setReply(e.target.value)}
          />
          <button type="submit" className="button" disabled={!reply.trim()}>
            Reply
          </button>
        </form>
      )}
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
