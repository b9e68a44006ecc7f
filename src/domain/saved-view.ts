/** A named set of invoice-list filters a portal saved (the finance views). */
export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  createdAt: Date;
}
