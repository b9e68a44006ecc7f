import type { ObjectType } from '@invoices/shared/lib/types';

// HubSpot's ids for the standard objects this card is placed on.
const BY_TYPE_ID: Record<string, ObjectType> = { '0-1': 'contacts', '0-2': 'companies', '0-3': 'deals' };

/** `0-3` -> `deals`; null for a record type the card does not serve. */
export function objectTypeFromId(objectTypeId: string): ObjectType | null {
  return BY_TYPE_ID[objectTypeId] ?? null;
}
