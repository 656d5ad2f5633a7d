import {
  registerLiveDocuments,
  unregisterLiveDocuments,
  type AccessChange,
  type LiveDocuments,
} from '../live-documents';

/**
 * Stands in the live-documents slot for use-case tests that run without a sync server, keeping
 * the access changes told to it. Everything else is refused: a test that reaches a live document
 * needs a real server (see server/collab/testing).
 */
export function recordAccessChanges(): { seen: AccessChange[]; stop(): void } {
  const seen: AccessChange[] = [];
  const refuse = () => Promise.reject(new Error('no sync server in this test'));
  const live: LiveDocuments = {
    commands: {
      review: refuse,
      revertReview: refuse,
      package: refuse,
      revertPackage: refuse,
      amendment: refuse,
      restore: refuse,
      flush: refuse,
    },
    queries: {
      encodedState: refuse,
      layerExists: refuse,
      passageText: refuse,
      amendmentTarget: refuse,
      amendmentTargetsNow: refuse,
    },
    notices: {
      commentsChanged: () => undefined,
      accessChanged: (change) => seen.push(change),
    },
  };
  registerLiveDocuments(live);
  return { seen, stop: () => unregisterLiveDocuments(live) };
}
