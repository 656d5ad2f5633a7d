import { describe, expect, it } from 'vitest';
import { SendBudget } from './send-budget';

/** A socket whose backlog grows when it is sent to (as ws.send does) and drains on demand. */
function member(bufferedAmount = 0) {
  const m = { ws: { bufferedAmount } };
  return m;
}
/** Asks the budget, and queues the bytes when admitted, like Connection.send. */
function send(budget: SendBudget, m: ReturnType<typeof member>, bytes: number): boolean {
  const admitted = budget.admit(m, bytes);
  if (admitted) m.ws.bufferedAmount += bytes;
  return admitted;
}

describe('the instance send budget', () => {
  it('admits backlogs until their total passes the budget', () => {
    const budget = new SendBudget(1_000);
    const a = member();
    const b = member();
    expect(send(budget, a, 500)).toBe(true);
    expect(send(budget, b, 400)).toBe(true);
    expect(budget.queued).toBe(900);
    expect(send(budget, b, 101)).toBe(false);
    expect(send(budget, b, 100)).toBe(true);
  });

  it('recounts drained sockets before refusing, and forgets released ones', () => {
    const budget = new SendBudget(1_000);
    const a = member();
    const b = member();
    expect(send(budget, a, 900)).toBe(true);
    // a drained since it last sent: its old backlog must not count against b.
    a.ws.bufferedAmount = 0;
    expect(send(budget, b, 600)).toBe(true);
    expect(budget.queued).toBe(600);
    const c = member();
    expect(send(budget, c, 500)).toBe(false);
    budget.release(b);
    expect(send(budget, c, 500)).toBe(true);
    expect(budget.queued).toBe(500);
  });
});
