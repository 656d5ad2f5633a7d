/**
 * The origin of changes the server makes itself: review workflow, silence expiry, restore
 * (through the direct connection) and schema migration on load. Any origin that is neither a
 * connection nor a relayed change counts as the server's (document/change-context.ts).
 */
export class ServerOrigin {
  constructor(readonly reason: string) {}
}
