import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CloseEvents, type AwarenessUser, type CloseEventName } from '../../../lib/collab/protocol';
import type { Role } from '../../../lib/roles';
import { mayWriteContent } from '../../../lib/write-rules';
import type { SendBudget } from './send-budget';

/**
 * A connection whose own backlog is below this is never closed for the instance's budget: the
 * sockets that hoard are closed when they next grow, not the member who happens to send next.
 */
const BUDGET_FLOOR_BYTES = 256 * 1024;

/** Who is on the other end of a socket, as the upgrade established it. */
export type Principal = {
  userId: string;
  name: string;
  sessionId: string;
  role: Role;
  archived: boolean;
  /** The delegation the member speaks for (null: none), as of the upgrade. */
  delegation: string | null;
};

let nextConnectionId = 1;

/** One authenticated websocket on one document: sending with a bounded buffer, rate, access. */
export class Connection {
  readonly id = nextConnectionId++;
  readonly userId: string;
  readonly sessionId: string;
  readonly identity: AwarenessUser;
  /** Awareness client ids this connection speaks for. */
  readonly awarenessClientIds = new Set<number>();
  role: Role;
  archived: boolean;
  /** The delegation the member speaks for (null: none), as of the upgrade. */
  readonly delegation: string | null;
  synced = false;
  closed = false;
  droppedUpdates = 0;
  /** Why the server closed this connection (null while open, or when the client left). */
  closedWith: CloseEventName | null = null;
  /** Updates waiting for changes the document does not have yet (see `park`). */
  private parked: Array<{ update: Uint8Array; required: Map<number, number> }> = [];
  private parkedBytes = 0;
  private tokens: number;
  private lastRefill = Date.now();
  /** The largest sync reply this client asked for: it may sit unread on top of the bound. */
  private syncAllowance = 0;

  constructor(
    readonly ws: WebSocket,
    readonly documentId: string,
    principal: Principal,
    color: string,
    private readonly limits: {
      maxBufferedBytes: number;
      messagesPerSecond: number;
      messageBurst: number;
    },
    readonly log: Logger,
    /** The instance's budget for queued bytes across connections; none in unit tests. */
    private readonly budget?: SendBudget,
  ) {
    this.userId = principal.userId;
    this.sessionId = principal.sessionId;
    this.role = principal.role;
    this.archived = principal.archived;
    this.delegation = principal.delegation;
    this.identity = { id: principal.userId, name: principal.name, color };
    this.tokens = limits.messageBurst;
  }

  /** Writers may change the document; archived frameworks are read-only for everyone. */
  get readOnly(): boolean {
    return !mayWriteContent({ role: this.role, archived: this.archived });
  }

  /**
   * Queues a message, or closes a client whose unread backlog passed its bound (a few MB beyond
   * the sync it asked for), or that holds a large backlog while the instance's budget is spent.
   */
  send(data: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const backlog = this.ws.bufferedAmount + data.length;
    if (backlog > this.limits.maxBufferedBytes + this.syncAllowance) {
      this.close('slowConsumer', `${this.ws.bufferedAmount} bytes unread`);
      return;
    }
    // Only a socket that already sits on unread bytes is closed for the budget: a member who
    // reads drains between messages, however large one message is.
    if (
      this.budget &&
      !this.budget.admit(this, data.length) &&
      this.ws.bufferedAmount > BUDGET_FLOOR_BYTES
    ) {
      this.close('slowConsumer', `${this.ws.bufferedAmount} bytes unread, instance budget spent`);
      return;
    }
    this.ws.send(data);
  }

  /** Sends the answer to the client's sync request: the bound allows it on top (see send). */
  sendSyncReply(data: Uint8Array): void {
    this.syncAllowance = Math.max(this.syncAllowance, data.length);
    this.send(data);
  }

  /**
   * Holds an update whose dependencies the document lacks: a client's edit can overtake its own
   * sync step 2, which brings them. Past `maxBytes` (or 64 updates) the client is not catching
   * up but inventing clocks; the caller closes it. Returns false then.
   */
  park(update: Uint8Array, required: Map<number, number>, maxBytes: number): boolean {
    if (this.parkedBytes + update.length > maxBytes || this.parked.length >= 64) return false;
    this.parked.push({ update, required });
    this.parkedBytes += update.length;
    return true;
  }

  get hasParked(): boolean {
    return this.parked.length > 0;
  }

  /** Removes and returns the parked updates that `ready` accepts now, oldest first. */
  takeReady(ready: (required: Map<number, number>) => boolean): Uint8Array[] {
    if (this.parked.length === 0) return [];
    const taken: Uint8Array[] = [];
    this.parked = this.parked.filter((entry) => {
      if (!ready(entry.required)) return true;
      taken.push(entry.update);
      this.parkedBytes -= entry.update.length;
      return false;
    });
    return taken;
  }

  /** Token bucket: false when the client sends faster than its sustained rate plus burst. */
  takeMessageToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(
      this.limits.messageBurst,
      this.tokens + ((now - this.lastRefill) / 1000) * this.limits.messagesPerSecond,
    );
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Closes with one of the shared close codes; a socket that does not finish closing is cut. */
  close(event: CloseEventName, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.budget?.release(this);
    this.closedWith = event;
    const { code, reason } = CloseEvents[event];
    this.log.info({ code, reason, detail }, 'closing collab connection');
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason);
      setTimeout(() => this.ws.terminate(), 2_000).unref();
    }
  }
}
