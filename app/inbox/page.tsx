import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/app/(auth)/current-user';
import { getDb } from '@/db/client';
import { amendmentNewsOf } from '@/lib/services/amendment-news';
import { inboxOf } from '@/lib/services/comments';
import { overdueInitialsFor } from '@/lib/services/initialling';
import { packageNewsOf } from '@/lib/services/packages';
import { overdueConfirmationsFor } from '@/lib/services/review';
import { Time } from '@/components/time/Time';
import { frameworkPath } from '@/lib/paths';

export const metadata: Metadata = { title: 'Inbox' };

const DECISION_WORDS: Record<string, string> = {
  accepted: 'accepted by the chair',
  rejected: 'rejected by the chair',
  superseded: "merged into the chair's compromise",
};

/** A proposal as one line of the inbox: long ones are cut at a word, with an ellipsis. */
function clip(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}

/**
 * Overdue confirmations ad referendum to chase or give, packages agreed or reopened lately,
 * decisions on my amendments and amendments to layers my delegation leads, then mentions of me
 * and replies to my comments, across my groups, newest first.
 */
export default async function InboxPage() {
  const user = await requireUser('/inbox');
  const db = await getDb();
  const [items, overdue, initials, packages, amendments] = await Promise.all([
    inboxOf(db, user.id),
    overdueConfirmationsFor(db, user.id),
    overdueInitialsFor(db, user.id),
    packageNewsOf(db, user.id),
    amendmentNewsOf(db, user.id),
  ]);
  const above = initials.length + overdue.length + packages.length + amendments.length;
  return (
    <section className="narrow">
      <h1>Inbox</h1>
      {initials.length > 0 && (
        <>
          <h2>Overdue initials</h2>
          <ul className="stack" aria-label="Overdue initials">
            {initials.map((row) => (
              <li key={row.versionId} className="inbox-overdue">
                <p>
                  <Link
                    href={`/groups/${row.workspaceId}/frameworks/${row.frameworkId}/versions/${row.versionId}`}
                  >
                    {row.frameworkTitle}: {row.versionName}
                  </Link>
                  : initials were due <Time at={row.deadline} />.
                </p>
                <p className="muted">
                  {row.mine
                    ? 'Your delegation has not initialled yet.'
                    : `Initials missing: ${row.missing.join(', ')}.`}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {overdue.length > 0 && (
        <>
          <h2>Overdue confirmations</h2>
          <ul className="stack" aria-label="Overdue confirmations">
            {overdue.map((row) => (
              <li key={`${row.frameworkId}/${row.layerId}`} className="inbox-overdue">
                <p>
                  <strong>{row.layerTitle || 'A layer'}</strong> in{' '}
                  <Link href={`/groups/${row.workspaceId}/frameworks/${row.frameworkId}`}>
                    {row.frameworkTitle}
                  </Link>
                  : agreed ad referendum, confirmation was due <Time at={row.confirmBy} />.
                </p>
                <p className="muted">
                  {row.mine
                    ? 'Your delegation has not confirmed yet.'
                    : `Pending confirmation by: ${row.pending.map((p) => row.partyNames[p] ?? p).join(', ')}.`}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {packages.length > 0 && (
        <>
          <h2>Packages</h2>
          <ul className="stack" aria-label="Packages agreed or reopened">
            {packages.map((event) => (
              <li key={event.id}>
                <p>
                  Package <strong>{String(event.details.name ?? '')}</strong> in{' '}
                  <Link href={`/groups/${event.workspaceId}/frameworks/${event.frameworkId}`}>
                    {event.frameworkTitle}
                  </Link>
                  {event.kind === 'package.agreed'
                    ? ': agreed, every layer of it.'
                    : `: reopened (${String(event.details.reason ?? '')}); its other layers are agreed in package again.`}
                </p>
                <p className="muted">
                  {event.actorName ?? 'Former member'} · <Time at={event.createdAt} />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {amendments.length > 0 && (
        <>
          <h2>Amendments</h2>
          <ul className="stack" aria-label="Amendments">
            {amendments.map((news) => (
              <li key={`${news.reason}/${news.amendmentId}`}>
                <p>
                  <Link
                    href={frameworkPath(news.workspaceId, news.frameworkId, {
                      amendment: news.amendmentId,
                    })}
                  >
                    Amendment {news.number}
                    {news.partyName ? ` (${news.partyName})` : ''}
                  </Link>{' '}
                  in {news.frameworkTitle}
                  {news.reason === 'decided'
                    ? `: ${DECISION_WORDS[news.status] ?? news.status}.`
                    : ': tabled to a layer your delegation leads.'}
                </p>
                {/* Text, never HTML: React escapes it. */}
                <blockquote className="inbox-quote">{clip(news.proposedText)}</blockquote>
                <p className="muted">
                  {/* The chair's reason; a compromise's is said on the line above. */}
                  {news.status === 'rejected' && news.decisionReason
                    ? `${news.decisionReason} · `
                    : ''}
                  {news.actorName ?? 'Former member'} · <Time at={news.at} />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {above > 0 && <h2>Mentions and replies</h2>}
      {items.length === 0 ? (
        <p className="muted">No mentions or replies yet.</p>
      ) : (
        <ul className="stack" aria-label="Mentions and replies">
          {items.map((item) => (
            <li key={item.commentId}>
              <p className="muted">
                {item.reason === 'mention' ? 'Mentioned you' : 'Replied to you'}:{' '}
                <strong>{item.authorName ?? 'Former member'}</strong> in{' '}
                <Link
                  href={frameworkPath(item.workspaceId, item.frameworkId, {
                    thread: item.threadId,
                  })}
                >
                  {item.frameworkTitle}
                </Link>{' '}
                · <Time at={item.createdAt} />
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
