// Sending one risk-approved order through the executor. An exchange's refusal is an expected
// outcome, not a loop error (the exchange answered): it comes back as a value, with a WARNING line
// and an `order_refused` line in the decision trail. Any other failure is thrown to the caller's
// stage.
import type { DecisionLog } from '../../ports/decision-log.ts';
import type { LogPort } from '../../ports/log.ts';
import type { ApprovedOrder, Execution, Executor } from './executor.ts';
import { isOrderRefusal, type OrderRefusal } from './refusals.ts';

/** Where a send goes and where its refusal is told. */
export interface SendDeps {
  executor: Executor;
  decisionLog: DecisionLog;
  log: LogPort;
}

/** A sent order's execution (its fills), or the exchange's refusal of it. */
export interface SendResult {
  execution?: Execution;
  refusal?: OrderRefusal;
}

/**
 * Sends `order` (cycle `cycle`) through the executor: its execution, or its refusal logged at WARNING
 * ('Order refused by the exchange', with the order, the reason, the code, held and until) and
 * appended to the decision trail as `order_refused`. A held order (not sent: refused before and
 * nothing changed) repeats every cycle, so it is only in the trail, with what it waits for.
 */
export async function sendOrder(
  { executor, decisionLog, log }: SendDeps,
  order: ApprovedOrder,
  cycle: number,
): Promise<SendResult> {
  try {
    return { execution: await executor.execute(order) };
  } catch (e) {
    if (!isOrderRefusal(e)) throw e;
    const { reason, code, message } = e.refusal;
    const line = {
      cycle,
      order_id: order.orderId,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      agent_id: order.agentId ?? null,
      reason,
      code,
      message,
      held: e.held,
      until: e.until ?? null,
    };
    if (!e.held) log.warn(line, 'Order refused by the exchange');
    await decisionLog.append({ kind: 'order_refused', ...line });
    return { refusal: e };
  }
}
