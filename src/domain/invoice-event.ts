/** One entry of an invoice's audit log. */
export interface InvoiceEvent {
  id: number;
  invoiceId: string;
  type: string;
  actorType: string;
  actorId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}
