import { Router } from 'express';
import { agingReport } from '../../app/aging-report.js';
import type { Deps } from '../../app/deps.js';
import { AGING_BUCKETS } from '../../domain/aging.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import type { AgingReportResponse } from './response.js';
import { agingQuery } from './schema.js';

/** /api/v1/reports: finance reports over the portal's invoices. */
export function reportsRouter(deps: Deps): Router {
  const r = Router();
  r.get('/aging', requirePermission('view'), async (req, res) => {
    const { asOf } = agingQuery.parse(req.query);
    const report = await agingReport(deps, actorOf(res), asOf);
    const body: AgingReportResponse = {
      asOf: report.asOf,
      timeZone: report.timeZone,
      buckets: AGING_BUCKETS.map((b) => b.key),
      data: report.rows.map((row) => ({ currency: row.currency, buckets: row.buckets, total: row.total })),
    };
    res.json(body);
  });
  return r;
}
