'use client';

import type { Layer } from '@/lib/framework';
import { Avatars, type PresenceUser } from './fields';

const NOBODY: PresenceUser[] = [];

/** The numbered list of layers beside the editor: a jump to each, with who is in it now. */
export function LayerOutline({
  layers,
  presentIn,
  onGo,
}: {
  layers: Layer[];
  presentIn: Map<string, PresenceUser[]>;
  /** Jumps to a field by its path. */
  onGo: (path: string) => void;
}) {
  return (
    <nav className="ed-outline" aria-label="Outline">
      <h2 className="ed-outline-title">Layers</h2>
      <ol>
        {layers.map((layer, i) => (
          <li key={layer.id}>
            <a
              href={`#layer-${layer.id}`}
              onClick={(event) => {
                event.preventDefault();
                onGo(`layer:${layer.id}/title`);
              }}
            >
              <span className="ed-outline-n">{i + 1}</span>
              <span className="ed-outline-text">{layer.title.trim() || 'Untitled layer'}</span>
            </a>
            <Avatars users={presentIn.get(layer.id) ?? NOBODY} label="Here now" />
          </li>
        ))}
      </ol>
    </nav>
  );
}
