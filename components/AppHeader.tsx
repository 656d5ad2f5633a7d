import Link from 'next/link';
import { OfflineCopiesOfOthers, SignOutForm } from './SignOut';

type Props = {
  user: { id: string; name: string } | null;
  /** The sign-out server action, handed in by the layout so components/ never imports app/. */
  signOut: () => Promise<void>;
};

/** The bar on every page: product name home, and the signed-in user's menu. */
export function AppHeader({ user, signOut }: Props) {
  return (
    <header className="app-header">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Briefing workspace
      </Link>
      <nav aria-label="Account" className="account-nav">
        {user ? (
          <>
            <Link href="/inbox" className="button button-quiet">
              Inbox
            </Link>
            <Link href="/verify" className="button button-quiet">
              Verify a copy
            </Link>
            <Link href="/profile" className="account-name">
              {user.name}
            </Link>
            <SignOutForm signOut={signOut} />
            <OfflineCopiesOfOthers userId={user.id} />
          </>
        ) : (
          <>
            <Link href="/signin" className="button button-quiet">
              Sign in
            </Link>
            <Link href="/signup" className="button button-primary">
              Create account
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
