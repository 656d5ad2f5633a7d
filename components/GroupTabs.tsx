'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The group's sections; the current one is marked for assistive technology too. */
export function GroupTabs({ tabs }: { tabs: Array<{ href: string; label: string }> }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Group sections" className="tabs">
      {tabs.map((tab) => {
        const current =
          pathname === tab.href ||
          (tab.href.split('/').length > 3 && pathname.startsWith(tab.href));
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={current ? 'page' : undefined}
            className="tab"
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
