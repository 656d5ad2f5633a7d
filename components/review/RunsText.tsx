import { FormattedText } from '@/components/text/FormattedText';
import type { ProposalRun } from '@/lib/framework';

/** A proposal's wording in its formatting (links: only web and mail addresses, normaliseRuns). */
export function RunsText({ runs }: { runs: ProposalRun[] }) {
  return (
    <>
      {runs.map((run, i) => (
        <span key={i}>
          <FormattedText
            text={run.text}
            bold={run.marks.some((mark) => mark.type === 'bold')}
            italic={run.marks.some((mark) => mark.type === 'italic')}
            href={run.marks.find((mark) => mark.type === 'link')?.href ?? null}
          />
        </span>
      ))}
    </>
  );
}
