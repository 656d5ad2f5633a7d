import type { Metadata } from 'next';
import { getCurrentUser } from '@/app/(auth)/current-user';
import { signOutAction } from '@/app/actions/auth';
import { AppHeader } from '@/components/AppHeader';
import { TimeZoneProvider } from '@/components/time/TimeZoneContext';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Briefing workspace', template: '%s · Briefing workspace' },
  description: 'Draft layered security-guarantee frameworks together, live.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <TimeZoneProvider zone={user?.timeZone ?? null}>
          <AppHeader user={user} signOut={signOutAction} />
          <main id="main" className="main" tabIndex={-1}>
            {children}
          </main>
        </TimeZoneProvider>
      </body>
    </html>
  );
}
