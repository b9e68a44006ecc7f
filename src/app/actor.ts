/** API token scopes. */
export const SCOPES = ['invoices:read', 'invoices:write', 'settings', 'exports'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is acting, in which portal. Every use case takes one and scopes every query by `portalId`. */
export interface Actor {
  portalId: number;
  userId: string | null;
  kind: 'user' | 'api_token' | 'stripe' | 'hubspot' | 'system';
  scopes: readonly Scope[];
}
