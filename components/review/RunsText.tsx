import type { ReactNode } from 'react';
import type { ProposalRun } from '@/lib/framework';

/**
 * A proposal's wording in its formatting. Links are shown as links that open in a new tab
 * without the page as opener; only web and mail addresses reach a proposal (normaliseRuns).
 */
export function RunsText({ runs }: { runs: ProposalRun[] }) {
  return (
    <>
      {runs.map((run, i) => (
        <span key={i}>
          {run.marks.reduce<ReactNode>((node, mark) => {
            if (mark.type === 'bold') return <strong>{node}</strong>;
            if (mark.type === 'italic') return <em>{node}</em>;
            return (
              <a href={mark.href} target="_blank" rel="noopener noreferrer nofollow">
                {node}
              </a>
            );
          }, run.text)}
        </span>
      ))}
    </>
  );
}
