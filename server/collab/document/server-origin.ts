/**
 * The origin of changes the server makes itself: review workflow, silence expiry, restore
 * (through the direct connection) and schema migration on load. Any origin that is neither a
 * connection nor a relayed change counts as the server's (document/change-context.ts).
 * `authorId` names the person a server change is made for (an accepted amendment is the tabling
 * delegate's wording, applied by the server): the log attributes the change to them.
 */
export class ServerOrigin {
  constructor(
    readonly reason: string,
    readonly authorId: string | null = null,
  ) {}
}
