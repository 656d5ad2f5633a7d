import { DocumentHeading, ReadOnlyFramework } from '@/components/versions/ReadOnlyFramework';
import { buildExportModel } from '@/lib/export/model';
import type { FrameworkView } from '@/lib/framework';

/**
 * Read mode as the server renders it from the stored document: the text is on the screen with
 * the first response, before the scripts load and the live document syncs. The live read view
 * (ReadView) replaces it as soon as it can, with the review bars, margin and live updates.
 * Rendered by the page (a server component), so none of this code ships to the browser.
 */
export function ReadFirstPaint({ view }: { view: FrameworkView }) {
  const model = buildExportModel(view, {
    agreedOnly: false,
    versionName: null,
    date: new Date(),
    comments: null,
  });
  return (
    <article className="rd-document" aria-label="Read mode" aria-busy="true">
      <DocumentHeading model={model} versionLabel="Current text, live" />
      <ReadOnlyFramework model={model} layerIds />
    </article>
  );
}
