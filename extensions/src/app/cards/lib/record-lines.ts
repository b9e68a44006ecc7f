/**
 * "Add from the record's lines": which CRM record a draft takes lines from, which of its line
 * items the draft still lacks, and how one becomes an editable line.
 */
import type { Invoice, LineItemSourceType, ObjectType, RecordLineItems } from '@invoices/shared/lib/types';
import { lineFormFromItem, type LineForm } from './draft-form';

/** A CRM record with line items. */
export interface LineSource {
  objectType: LineItemSourceType;
  objectId: string;
}

export type RecordLine = RecordLineItems['data'][number];

/**
 * The draft's own source deal or quote; otherwise, on a deal's card, that deal. Contacts and
 * companies have no line items, so a draft there without a deal or quote source gets none.
 */
export function lineSourceFor(invoice: Pick<Invoice, 'source'>, record: { objectType: ObjectType; objectId: string } | null): LineSource | null {
  const source = invoice.source;
  if (source && (source.objectType === 'deals' || source.objectType === 'quotes')) return { objectType: source.objectType, objectId: source.objectId };
  if (record?.objectType === 'deals') return { objectType: 'deals', objectId: record.objectId };
  return null;
}

/** "deal" or "quote", for labels. */
export function sourceNoun(source: LineSource): string {
  return source.objectType === 'quotes' ? 'quote' : 'deal';
}

/** The record's line items that no line of the form came from (matched by HubSpot line item id). */
export function missingLines(recordLines: readonly RecordLine[], formLines: readonly LineForm[]): RecordLine[] {
  const present = new Set(formLines.map((l) => l.keep.hubspotLineItemId).filter((id): id is string => Boolean(id)));
  return recordLines.filter((l) => l.hubspotLineItemId === null || !present.has(l.hubspotLineItemId));
}

/**
 * A record line as a new editable line. It keeps its HubSpot line item and product ids, so a later
 * re-copy and the accounting exports can match it.
 */
export function lineFormFromRecord(line: RecordLine, currency: string): LineForm {
  return { ...lineFormFromItem(line, currency, 0), key: `crm-${line.hubspotLineItemId}` };
}
