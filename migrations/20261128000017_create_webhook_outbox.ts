import type { Knex } from 'knex';

/**
 * Outbound webhooks: endpoints a portal registers, an outbox of invoice events, and one delivery
 * per (endpoint, event) with an append-only log of attempts.
 *
 * The outbox is written by the database itself, in the transaction that changes the invoice:
 * an AFTER UPDATE trigger on invoices turns status and amount_paid changes into events, and an
 * AFTER INSERT trigger on webhook_events fans each event out to the portal's endpoints subscribed
 * to its type at that moment. So no use case has to remember it, a rolled-back change leaves no
 * event, and a committed one always has its deliveries. Events are written whether or not an
 * endpoint listens: the row is the event's stable id and the "overdue sent once" marker.
 *
 * A delivery is `pending` until a 2xx (`delivered`) or until its attempts run out (`failed`);
 * `locked_until`/`lease_id` is a worker's lease, so two workers never send the same delivery at
 * once and a crashed worker's deliveries are taken over once the lease runs out.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE webhook_endpoints (
      portal_id      bigint NOT NULL REFERENCES portals (id),
      id             uuid NOT NULL,
      url            text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
      events         jsonb NOT NULL CHECK (jsonb_typeof(events) = 'array' AND jsonb_array_length(events) > 0),
      -- AES-256-GCM sealed (src/app/secret-box.ts, TOKEN_ENCRYPTION_KEY): a dump does not reveal it.
      secret_sealed  text NOT NULL,
      created_by     text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, id)
    )`,
    `CREATE TABLE webhook_events (
      portal_id    bigint NOT NULL,
      id           uuid NOT NULL DEFAULT gen_random_uuid(),
      type         text NOT NULL CHECK (type IN ('invoice.finalized', 'invoice.paid', 'invoice.partially_paid',
                                                 'invoice.voided', 'invoice.overdue')),
      invoice_id   uuid NOT NULL,
      payload      jsonb NOT NULL,
      occurred_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, id),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id)
    )`,
    `CREATE INDEX webhook_events_by_invoice ON webhook_events (portal_id, invoice_id, occurred_at)`,
    `-- invoice.overdue is emitted once per invoice, however often the scheduled job runs.
    CREATE UNIQUE INDEX webhook_events_overdue_once ON webhook_events (portal_id, invoice_id)
      WHERE type = 'invoice.overdue'`,
    `CREATE TABLE webhook_deliveries (
      portal_id        bigint NOT NULL,
      endpoint_id      uuid NOT NULL,
      event_id         uuid NOT NULL,
      state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_at  timestamptz,
      locked_until     timestamptz,
      lease_id         uuid,
      last_status      integer,
      last_error       text,
      delivered_at     timestamptz,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, endpoint_id, event_id),
      FOREIGN KEY (portal_id, endpoint_id) REFERENCES webhook_endpoints (portal_id, id) ON DELETE CASCADE,
      FOREIGN KEY (portal_id, event_id) REFERENCES webhook_events (portal_id, id),
      CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
      CHECK (state <> 'delivered' OR delivered_at IS NOT NULL)
    )`,
    `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'`,
    `CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (portal_id, endpoint_id, created_at DESC, event_id DESC)`,
    `CREATE TABLE webhook_delivery_attempts (
      portal_id     bigint NOT NULL,
      id            bigint GENERATED ALWAYS AS IDENTITY,
      endpoint_id   uuid NOT NULL,
      event_id      uuid NOT NULL,
      attempt       integer NOT NULL CHECK (attempt >= 1),
      attempted_at  timestamptz NOT NULL,
      duration_ms   integer NOT NULL CHECK (duration_ms >= 0),
      http_status   integer,
      error         text,
      outcome       text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
      PRIMARY KEY (portal_id, id),
      FOREIGN KEY (portal_id, endpoint_id, event_id)
        REFERENCES webhook_deliveries (portal_id, endpoint_id, event_id) ON DELETE CASCADE
    )`,
    `CREATE INDEX webhook_delivery_attempts_by_delivery ON webhook_delivery_attempts (portal_id, endpoint_id, event_id, id)`,
    `-- Fan-out: every endpoint of the portal subscribed to the type at commit time gets a delivery.
    CREATE FUNCTION webhook_events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO webhook_deliveries (portal_id, endpoint_id, event_id, next_attempt_at, created_at, updated_at)
      SELECT NEW.portal_id, e.id, NEW.id, NEW.occurred_at, NEW.occurred_at, NEW.occurred_at
        FROM webhook_endpoints e
       WHERE e.portal_id = NEW.portal_id AND e.events @> to_jsonb(NEW.type);
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER webhook_events_fan_out AFTER INSERT ON webhook_events
      FOR EACH ROW EXECUTE FUNCTION webhook_events_fan_out()`,
    `-- Status and payment changes of invoices become events in the changing transaction.
    -- draft->open finalized; ->paid paid; ->void voided; amount_paid up while open and not settled:
    -- partially_paid (a full payment raises amount_paid to the total first, then sets paid).
    CREATE FUNCTION invoices_emit_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      event_type text;
    BEGIN
      IF OLD.status = 'draft' AND NEW.status = 'open' THEN
        event_type := 'invoice.finalized';
      ELSIF NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid' THEN
        event_type := 'invoice.paid';
      ELSIF NEW.status = 'void' AND OLD.status IS DISTINCT FROM 'void' THEN
        event_type := 'invoice.voided';
      ELSIF NEW.status = 'open' AND OLD.status = 'open' AND NEW.amount_paid > OLD.amount_paid
            AND NEW.amount_paid < NEW.total THEN
        event_type := 'invoice.partially_paid';
      ELSE
        RETURN NULL;
      END IF;
      INSERT INTO webhook_events (portal_id, type, invoice_id, payload, occurred_at)
      VALUES (NEW.portal_id, event_type, NEW.id, jsonb_build_object(
        'id', NEW.id,
        'number', NEW.number,
        'status', NEW.status,
        'previousStatus', OLD.status,
        'currency', NEW.currency,
        'total', NEW.total,
        'amountPaid', NEW.amount_paid,
        'balanceDue', NEW.total - NEW.amount_paid,
        'invoiceDate', to_char(NEW.invoice_date, 'YYYY-MM-DD'),
        'dueDate', to_char(NEW.due_date, 'YYYY-MM-DD')
      ), now());
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER invoices_emit_webhook_events AFTER UPDATE OF status, amount_paid ON invoices
      FOR EACH ROW EXECUTE FUNCTION invoices_emit_webhook_events()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TRIGGER invoices_emit_webhook_events ON invoices`,
    `DROP FUNCTION invoices_emit_webhook_events()`,
    `DROP TABLE webhook_delivery_attempts`,
    `DROP TABLE webhook_deliveries`,
    `DROP TABLE webhook_events`,
    `DROP FUNCTION webhook_events_fan_out()`,
    `DROP TABLE webhook_endpoints`,
  ]) {
    await knex.raw(statement);
  }
}
