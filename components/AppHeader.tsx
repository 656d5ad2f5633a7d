import Link from 'next/link';
import { OfflineCopiesOfOthers, SignOutForm } from './SignOut';

type Props = {
  user: { id: string; name: string } | null;
  /** The sign-out server action, handed in by the layout so components/ never imports app/. */
  signOut: () => Promise<void>;
};

/**
 * The bar on every page: product name home, and the signed-in user's menu. Its links are not
 * prefetched: on every page they are in view at once, and four server renders fetched ahead
 * competed with the page's own opening (the editor's document sync above all) for a visit that
 * rarely follows.
 */
export function AppHeader({ user, signOut }: Props) {
  return (
    <header className="app-header">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Link prefetch={false} href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Briefing workspace
      </Link>
      <nav aria-label="Account" className="account-nav">
        {user ? (
          <>
            <Link prefetch={false} href="/inbox" className="button button-quiet">
              Inbox
            </Link>
            <Link prefetch={false} href="/verify" className="button button-quiet">
              Verify a copy
            </Link>
            <Link prefetch={false} href="/profile" className="account-name">
              {user.name}
            </Link>
            <SignOutForm signOut={signOut} />
            <OfflineCopiesOfOthers userId={user.id} />
          </>
        ) : (
          <>
            <Link prefetch={false} href="/signin" className="button button-quiet">
              Sign in
            </Link>
            <Link prefetch={false} href="/signup" className="button button-primary">
              Create account
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
