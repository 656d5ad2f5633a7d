import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { inboxOf } from '@/lib/services/comments';

export const metadata: Metadata = { title: 'Inbox' };

/** Mentions of me and replies to my comments, across my groups, newest first. */
export default async function InboxPage() {
  const user = await requireUser('/inbox');
  const items = await inboxOf(await getDb(), user.id);
  return (
    <section className="narrow">
      <h1>Inbox</h1>
      {items.length === 0 ? (
        <p className="muted">No mentions or replies yet.</p>
      ) : (
        <ul className="stack" aria-label="Mentions and replies">
          {items.map((item) => (
            <li key={item.commentId}>
              <p className="muted">
                {item.reason === 'mention' ? 'Mentioned you' : 'Replied to you'}:{' '}
                <strong>{item.authorName ?? 'Former member'}</strong> in{' '}
                <Link href={`/groups/${item.workspaceId}/frameworks/${item.frameworkId}`}>
                  {item.frameworkTitle}
                </Link>{' '}
                · {item.createdAt.toLocaleString('en-GB')}
              </p>
              {/* Text, never HTML: React escapes it. */}
              <p style={{ whiteSpace: 'pre-wrap' }}>{item.body}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
