/** An app lifecycle event read from HubSpot's webhooks journal. */
export interface AppLifecycleEvent {
  action: 'APP_INSTALL' | 'APP_UNINSTALL';
  portalId: number;
  /** When HubSpot says it happened; null when the entry does not say. */
  occurredAt: Date | null;
}

/** One journal entry: HubSpot's offset of it and the lifecycle events of the file it points to. */
export interface JournalEntry {
  offset: string;
  lifecycleEvents: AppLifecycleEvent[];
  /** Events of other kinds (or unreadable ones) in the entry: counted and logged, never applied. */
  otherEvents: number;
}

/**
 * HubSpot's webhooks journal for this app (all portals), read with the app's client-credentials
 * token. Implemented by src/integrations/hubspot/journal-adapter.ts.
 */
export interface HubSpotJournalPort {
  /**
   * The entry after `offset`, the earliest one when `offset` is null; null when there is none yet;
   * `unknown_offset` when HubSpot no longer knows the offset (older than the journal keeps).
   */
  next(offset: string | null): Promise<JournalEntry | null | 'unknown_offset'>;
  /** Makes sure the app's APP_LIFECYCLE_EVENT subscription exists, so uninstalls reach the journal. */
  ensureLifecycleSubscription(): Promise<'created' | 'exists'>;
}
