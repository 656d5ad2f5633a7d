/**
 * The instance's budget for bytes queued to sockets that do not read: each connection reports
 * its backlog when it sends, the total is kept incrementally and recounted exactly only when it
 * looks over the budget (backlogs shrink as sockets drain, between sends nobody reports).
 */

/** What the budget needs of a connection: its socket's unsent bytes. */
export type Backlogged = { readonly ws: { readonly bufferedAmount: number } };

export class SendBudget {
  private readonly backlogs = new Map<Backlogged, number>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes queued on this instance as last reported (for metrics and tests). */
  get queued(): number {
    return this.total;
  }

  /**
   * Whether `member` may queue `adding` more bytes: true while the instance's total stays within
   * the budget, counting `member`'s new backlog.
   */
  admit(member: Backlogged, adding: number): boolean {
    this.report(member, member.ws.bufferedAmount + adding);
    if (this.total <= this.maxBytes) return true;
    this.recount();
    this.report(member, member.ws.bufferedAmount + adding);
    return this.total <= this.maxBytes;
  }

  /** Forgets a closed connection. */
  release(member: Backlogged): void {
    this.total -= this.backlogs.get(member) ?? 0;
    this.backlogs.delete(member);
  }

  private report(member: Backlogged, backlog: number): void {
    this.total += backlog - (this.backlogs.get(member) ?? 0);
    this.backlogs.set(member, backlog);
  }

  private recount(): void {
    this.total = 0;
    for (const member of this.backlogs.keys()) {
      const backlog = member.ws.bufferedAmount;
      this.backlogs.set(member, backlog);
      this.total += backlog;
    }
  }
}
