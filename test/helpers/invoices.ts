import { expect } from 'vitest';
import type { Api } from './app.js';
import { draftBody } from './factories.js';

/** The states a test can ask {@link invoiceIn} for; `partly_paid` is open with a payment. */
export type InvoiceState = 'draft' | 'open' | 'partly_paid' | 'paid' | 'void';

/** A draft made through the API. `body` is the last answer (the invoice as the API shows it). */
export interface DraftInvoice {
  id: string;
  total: number;
  // The API answers with JSON; tests read fields of it freely.
  body: any;
}

/** A finalized invoice: its number and the buyer's hosted page (URL and public token). */
export interface IssuedInvoice extends DraftInvoice {
  number: string;
  hostedUrl: string;
  token: string;
}

/** How {@link invoiceIn} gets there, when the defaults do not suit the test. */
export interface InvoiceSteps {
  /** Fields of the payment that makes it `partly_paid` or `paid` (default: cash, half or all of the total). */
  payment?: Record<string, unknown>;
  /** Headers of the finalize request (e.g. an Idempotency-Key). */
  finalizeHeaders?: Record<string, string>;
  /** The void reason (default "test"). */
  voidReason?: string;
}

const failed = (step: string, res: { status: number; body: unknown }) => `${step}: ${res.status} ${JSON.stringify(res.body)}`;

/**
 * An invoice in `state`, made through the API as a user would: create the draft from
 * `draftBody(overrides)` (16335 minor units by default), then finalize, pay or void it. Every step
 * must succeed. Tests about those steps themselves call the API explicitly instead.
 */
export async function invoiceIn<S extends InvoiceState>(
  api: Api,
  state: S,
  overrides: Record<string, unknown> = {},
  steps: InvoiceSteps = {},
): Promise<S extends 'draft' ? DraftInvoice : IssuedInvoice> {
  type Result = S extends 'draft' ? DraftInvoice : IssuedInvoice;
  const created = await api.post('/api/v1/invoices', draftBody(overrides));
  expect(created.status, failed('create', created)).toBe(201);
  const id = created.body.id as string;
  const total = created.body.total as number;
  if (state === 'draft') return { id, total, body: created.body } as Result;

  const finalize = api.post(`/api/v1/invoices/${id}/finalize`);
  for (const [name, value] of Object.entries(steps.finalizeHeaders ?? {})) finalize.set(name, value);
  const fin = await finalize;
  expect(fin.status, failed('finalize', fin)).toBe(200);
  const hostedUrl = fin.body.hostedUrl as string;
  const issued = { id, total, number: fin.body.number as string, hostedUrl, token: hostedUrl.split('/').pop()!, body: fin.body };

  if (state === 'partly_paid' || state === 'paid') {
    const amount = state === 'paid' ? total : Math.floor(total / 2);
    const pay = await api.post(`/api/v1/invoices/${id}/payments`, { amount, method: 'cash', ...steps.payment });
    expect(pay.status, failed('payment', pay)).toBe(201);
    expect(pay.body.status, failed('payment', pay)).toBe(state === 'paid' ? 'paid' : 'open');
    issued.body = pay.body;
  } else if (state === 'void') {
    const voided = await api.post(`/api/v1/invoices/${id}/void`, { reason: steps.voidReason ?? 'test' });
    expect(voided.status, failed('void', voided)).toBe(200);
    issued.body = voided.body;
  }
  return issued as Result;
}
