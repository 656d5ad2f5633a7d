import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import {
  MessageType,
  readCommentsChangedMessage,
  readRefusedMessage,
  type CommentsNotice,
  type ReviewRefusal,
} from './protocol';

type MessageHandler = (encoder: encoding.Encoder, decoder: decoding.Decoder) => void;

/**
 * Listens for the review messages the server sends on the collab socket: a change of ours it
 * refused (and undid), and "comments changed". Returns the unsubscribe function.
 */
export function onReviewMessages(
  provider: WebsocketProvider,
  listeners: {
    onRefused?: (refusals: ReviewRefusal[]) => void;
    onCommentsChanged?: (notice: CommentsNotice) => void;
  },
): () => void {
  // y-websocket types its handler table loosely; ours only read from the decoder.
  const handlers = provider.messageHandlers as unknown as MessageHandler[];
  handlers[MessageType.refused] = (_encoder, decoder) =>
    listeners.onRefused?.(readRefusedMessage(decoder));
  handlers[MessageType.commentsChanged] = (_encoder, decoder) =>
    listeners.onCommentsChanged?.(readCommentsChangedMessage(decoder));
  return () => {
    delete handlers[MessageType.refused];
    delete handlers[MessageType.commentsChanged];
  };
}
