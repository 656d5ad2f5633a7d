import type { CollabConfig } from '../config';
import { UpdateRefused, type CollabExtension } from './extension';

/** Refuses updates that would grow a document past `maxDocumentBytes`. */
export function limitsExtension(config: CollabConfig): CollabExtension {
  return {
    name: 'limits',
    beforeApplyUpdate({ document, update }) {
      if (document.approximateSize + update.length > config.maxDocumentBytes) {
        throw new UpdateRefused('tooLarge', 'document would exceed its size limit');
      }
    },
  };
}
