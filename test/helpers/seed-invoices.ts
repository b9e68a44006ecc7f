import type { Knex } from 'knex';
import { ROUNDING_RULE } from '../../src/domain/totals.js';

/** `n` open invoices of one line (no tax) numbered INV-1000.., set-based like bench/export.ts. */
export async function seedInvoices(db: Knex, portalId: number, n: number): Promise<void> {
  await db('portals').insert({ id: portalId }).onConflict('id').ignore();
  await db('portal_settings').insert({ portal_id: portalId }).onConflict('portal_id').ignore();
  const id = `md5('t-' || ${portalId} || '-' || g)::uuid`;
  await db.raw(
    `INSERT INTO invoices (portal_id, id, status, currency, invoice_date, due_date, payment_terms, subtotal, total, rounding_rule, payment_methods, bill_to, public_token)
     SELECT ?, ${id}, 'draft', 'USD', date '2026-11-01', date '2026-12-01', 'net_30', 1000, 1000, ?, '["ach"]', '{"name": "Seed"}', 't-' || ? || '-' || g
       FROM generate_series(0, ? - 1) AS g`,
    [portalId, ROUNDING_RULE, portalId, n],
  );
  await db.raw(
    `INSERT INTO invoice_line_items (portal_id, invoice_id, position, name, quantity, unit_price, gross_amount, discount_amount, amount, invoice_discount_share, tax_amount)
     SELECT ?, ${id}, 0, 'Seeded', 1, 1000, 1000, 0, 1000, 0, 0 FROM generate_series(0, ? - 1) AS g`,
    [portalId, n],
  );
  await db.raw(
    `UPDATE invoices SET status = 'open', number_prefix = 'INV', number_seq = 1000 + split_part(public_token, '-', 3)::bigint,
            number = 'INV-' || (1000 + split_part(public_token, '-', 3)::bigint), finalized_at = now(), snapshot = '{}'
      WHERE portal_id = ?`,
    [portalId],
  );
}
