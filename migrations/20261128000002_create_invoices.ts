import type { Knex } from 'knex';

/**
 * Invoices and their parts. Every table leads with portal_id (tenant key, and the distribution
 * column should the schema ever move to Citus); money is bigint minor units next to the currency.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE invoices (
      portal_id              bigint NOT NULL REFERENCES portals (id),
      id                     uuid NOT NULL DEFAULT gen_random_uuid(),
      status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'paid', 'void')),
      number                 text,
      number_prefix          text,
      number_seq             bigint,
      currency               char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      invoice_date           date NOT NULL,
      due_date               date NOT NULL,
      payment_terms          text NOT NULL
                               CHECK (payment_terms IN ('due_on_receipt', 'net_15', 'net_30', 'net_45', 'net_60', 'custom')),
      subtotal               bigint NOT NULL DEFAULT 0,
      discount_total         bigint NOT NULL DEFAULT 0,
      fee_total              bigint NOT NULL DEFAULT 0,
      tax_total              bigint NOT NULL DEFAULT 0,
      total                  bigint NOT NULL DEFAULT 0,
      amount_paid            bigint NOT NULL DEFAULT 0,
      rounding_rule          text NOT NULL,
      payment_methods        jsonb NOT NULL,
      allow_partial_payments boolean NOT NULL DEFAULT false,
      buyer_comments         text NOT NULL DEFAULT '',
      domain                 text,
      bill_to                jsonb,
      public_token           text NOT NULL UNIQUE,
      source_object_type     text,
      source_object_id       text,
      snapshot               jsonb,
      version                integer NOT NULL DEFAULT 1,
      created_by             text,
      created_at             timestamptz NOT NULL DEFAULT now(),
      updated_at             timestamptz NOT NULL DEFAULT now(),
      finalized_at           timestamptz,
      paid_at                timestamptz,
      voided_at              timestamptz,
      void_reason            text,
      PRIMARY KEY (portal_id, id),
      CONSTRAINT invoices_number_unique UNIQUE (portal_id, number),
      CONSTRAINT invoices_due_after_invoice_date CHECK (due_date >= invoice_date),
      CONSTRAINT invoices_total_not_negative CHECK (total >= 0 AND subtotal >= 0 AND discount_total >= 0
                                                    AND fee_total >= 0 AND tax_total >= 0),
      CONSTRAINT invoices_parts_add_up CHECK (total = subtotal - discount_total + fee_total + tax_total),
      CONSTRAINT invoices_amount_paid_within_total CHECK (amount_paid >= 0 AND amount_paid <= total),
      -- A number exists exactly when the invoice has been finalized (draft has none, void keeps it).
      CONSTRAINT invoices_number_iff_finalized CHECK (
        (status = 'draft' AND number IS NULL AND number_seq IS NULL AND finalized_at IS NULL AND snapshot IS NULL)
        OR (status <> 'draft' AND number IS NOT NULL AND number_seq IS NOT NULL AND finalized_at IS NOT NULL
            AND snapshot IS NOT NULL)),
      CONSTRAINT invoices_paid_means_settled CHECK (status <> 'paid' OR (amount_paid = total AND paid_at IS NOT NULL)),
      CONSTRAINT invoices_void_has_time CHECK (status <> 'void' OR voided_at IS NOT NULL)
    )`,
    `CREATE INDEX invoices_by_created ON invoices (portal_id, created_at DESC, id DESC)`,
    `CREATE INDEX invoices_open_by_due ON invoices (portal_id, due_date, id) WHERE status = 'open'`,
    `CREATE INDEX invoices_by_status_due ON invoices (portal_id, status, due_date, id)`,
    `CREATE INDEX invoices_by_prefix_seq ON invoices (portal_id, number_prefix, number_seq) WHERE number IS NOT NULL`,
    `CREATE TABLE invoice_line_items (
      portal_id              bigint NOT NULL,
      invoice_id             uuid NOT NULL,
      id                     uuid NOT NULL DEFAULT gen_random_uuid(),
      position               integer NOT NULL CHECK (position >= 0),
      name                   text NOT NULL CHECK (length(name) > 0),
      description            text NOT NULL DEFAULT '',
      sku                    text,
      quantity               numeric NOT NULL CHECK (quantity > 0),
      unit_price             bigint NOT NULL CHECK (unit_price >= 0),
      discount_type          text CHECK (discount_type IN ('percent', 'amount')),
      discount_value         numeric CHECK (discount_value >= 0),
      tax_rate               numeric CHECK (tax_rate >= 0),
      gross_amount           bigint NOT NULL,
      discount_amount        bigint NOT NULL,
      amount                 bigint NOT NULL,
      invoice_discount_share bigint NOT NULL,
      tax_amount             bigint NOT NULL,
      hubspot_line_item_id   text,
      hubspot_product_id     text,
      PRIMARY KEY (portal_id, id),
      UNIQUE (portal_id, invoice_id, position),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id) ON DELETE CASCADE,
      CHECK ((discount_type IS NULL) = (discount_value IS NULL)),
      CHECK (amount = gross_amount - discount_amount AND amount >= 0)
    )`,
    `CREATE TABLE invoice_adjustments (
      portal_id   bigint NOT NULL,
      invoice_id  uuid NOT NULL,
      id          uuid NOT NULL DEFAULT gen_random_uuid(),
      position    integer NOT NULL CHECK (position >= 0),
      kind        text NOT NULL CHECK (kind IN ('discount', 'fee', 'tax')),
      label       text NOT NULL DEFAULT '',
      type        text NOT NULL CHECK (type IN ('percent', 'amount')),
      value       numeric NOT NULL CHECK (value >= 0),
      amount      bigint NOT NULL CHECK (amount >= 0),
      PRIMARY KEY (portal_id, id),
      UNIQUE (portal_id, invoice_id, position),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id) ON DELETE CASCADE
    )`,
    `CREATE TABLE invoice_associations (
      portal_id    bigint NOT NULL,
      invoice_id   uuid NOT NULL,
      object_type  text NOT NULL CHECK (object_type IN ('contacts', 'companies', 'deals', 'quotes')),
      object_id    text NOT NULL CHECK (object_id ~ '^[0-9]{1,20}$'),
      PRIMARY KEY (portal_id, invoice_id, object_type, object_id),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id) ON DELETE CASCADE
    )`,
    `CREATE INDEX invoice_associations_by_record ON invoice_associations (portal_id, object_type, object_id)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TABLE invoice_associations`,
    `DROP TABLE invoice_adjustments`,
    `DROP TABLE invoice_line_items`,
    `DROP TABLE invoices`,
  ]) {
    await knex.raw(statement);
  }
}
