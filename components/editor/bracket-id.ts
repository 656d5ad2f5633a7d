/** A short random id for a bracket (ties its runs together when other marks split it). */
export function newBracketId(): string {
  return `b${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
