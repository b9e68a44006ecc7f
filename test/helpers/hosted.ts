import type { testApp } from './app.js';
import { draftBody } from './factories.js';

type Api = ReturnType<ReturnType<typeof testApp>['as']>;

/** Creates and finalizes an invoice; returns its id, number, hosted URL and public token. */
export async function finalizedInvoice(api: Api, overrides: Record<string, unknown> = {}) {
  const created = await api.post('/api/v1/invoices', draftBody(overrides));
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const fin = await api.post(`/api/v1/invoices/${created.body.id}/finalize`);
  if (fin.status !== 200) throw new Error(`finalize failed: ${fin.status} ${JSON.stringify(fin.body)}`);
  const hostedUrl = fin.body.hostedUrl as string;
  return { id: fin.body.id as string, number: fin.body.number as string, hostedUrl, token: hostedUrl.split('/').pop()!, body: fin.body };
}

/** `count` valid line items named "Line 1".."Line count". */
export function manyLines(count: number) {
  return Array.from({ length: count }, (_, i) => ({ name: `Line ${i + 1}`, quantity: '1', unitPrice: 1000 + i, taxRate: '21' }));
}
