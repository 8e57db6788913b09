// POST /v1/reconciliation/run (reconcile now, with the same consequences as a scheduled run: a
// divergence halts trading) and GET /v1/reconciliation/latest (the newest stored report).
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { reportPayload } from '../../domain/reconciliation/report.ts';
import { EventType } from '../../ports/event-store.ts';
import { reconciliationReportSchema } from '../../ports/events.ts';
import type { AppDeps } from '../deps.ts';
import { jsonError } from '../error-handler.ts';
import { actionBody, recordAction } from '../control-action.ts';
import { validate } from '../validate.ts';

const report = (description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(reconciliationReportSchema) } },
});

export function reconciliationRoutes(deps: Pick<AppDeps, 'reconciliation' | 'store'>) {
  return new Hono()
    .post(
      '/v1/reconciliation/run',
      describeRoute({
        summary: 'Reconcile with the exchange now',
        description:
          'Compares positions, NAV and trades with the exchange, stores the report as a `reconciliation` event and answers it. A divergence moves trading to HALTED (or REDUCING, AIS_RECONCILE_ON_MISMATCH) like a scheduled run. Optional JSON body `{reason, operator}`; the request is stored as a `control_action` event. An exchange that cannot be read gives a report of status `error`, not a failure. 503 `reconciliation_disabled` when the worker runs no reconciliation.',
        responses: { 200: report('The report of this run') },
      }),
      validate('json', actionBody),
      async (c) => {
        if (!deps.reconciliation)
          return jsonError(
            c,
            503,
            'reconciliation_disabled',
            'reconciliation is not running in this worker',
          );
        const report = reportPayload(await deps.reconciliation.run());
        await recordAction(deps.store, 'reconciliation-run', c.req.valid('json'), report.status);
        return c.json(report);
      },
    )
    .get(
      '/v1/reconciliation/latest',
      describeRoute({
        summary: 'The newest stored reconciliation report',
        description: '404 `not_found` until the first reconciliation has run.',
        responses: { 200: report('The newest report') },
      }),
      async (c) => {
        const latest = await deps.store.latest(EventType.reconciliation);
        if (!latest) return jsonError(c, 404, 'not_found', 'no reconciliation report yet');
        return c.json(latest.payload);
      },
    );
}
