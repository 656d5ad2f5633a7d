'use client';

import { useEditorContext } from '@/components/editor/EditorContext';
import {
  CONSENSUS_LABELS,
  frameworkConsensus,
  openBracketCounts,
  type FrameworkView,
} from '@/lib/framework';

/** The framework's negotiation at a glance: consensus, open brackets, layers agreed. */
export function ReviewSummary({ view }: { view: FrameworkView }) {
  const { doc } = useEditorContext();
  const participants = view.parties.map((p) => p.id);
  const consensus = frameworkConsensus(view.layers, participants);
  const unstated = view.layers.filter((l) => participants.some((p) => !l.positions[p])).length;
  // `view` changes with every document change, so this count is current.
  const brackets = Object.values(openBracketCounts(doc)).reduce((a, b) => a + b, 0);
  // Final agreement only: agreed ad referendum waits for capitals.
  const agreed = view.layers.filter((l) => l.status === 'agreed').length;
  // Provisional: agreed in a package that is not agreed yet; counted apart, never as agreed.
  const inPackage = view.layers.filter((l) => l.status === 'agreed_in_package').length;
  return (
    <section className="ed-side-panel rv-panel" aria-label="Negotiation">
      <h2 className="ed-side-title">Negotiation</h2>
      <div className="rv-badges">
        <span className={`rv-consensus rv-consensus-${consensus}`}>
          {CONSENSUS_LABELS[consensus]}
        </span>
        <span className={`rv-brackets${brackets > 0 ? ' rv-brackets-open' : ''}`}>
          {brackets} open bracket{brackets === 1 ? '' : 's'}
        </span>
        <span className="rv-note">
          {agreed} of {view.layers.length} layers agreed
        </span>
        {inPackage > 0 && (
          <span className="rv-note">
            {inPackage} agreed in package (provisional, package pending)
          </span>
        )}
        {unstated > 0 && (
          <span className="rv-note">
            {unstated} layer{unstated === 1 ? '' : 's'} with stances not stated
          </span>
        )}
      </div>
    </section>
  );
}
