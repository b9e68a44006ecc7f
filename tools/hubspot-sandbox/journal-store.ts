import { randomBytes, randomUUID } from 'node:crypto';
import { SANDBOX_APP_ID } from './auth-store.js';

/** App lifecycle actions the journal records. */
export type LifecycleAction = 'APP_INSTALL' | 'APP_UNINSTALL';

/** One journal entry: its offset and the event its file holds. */
export interface JournalRecord {
  offset: string;
  event: { subscriptionType: 'APP_LIFECYCLE_EVENT'; action: LifecycleAction; portalId: number; appId: number; occurredAt: number };
}

/** A webhooks-journal subscription, as the subscriptions API lists it. */
export interface JournalSubscription {
  id: number;
  appId: number;
  subscriptionType: string;
  actions: string[];
  createdAt: string;
  updatedAt: string;
}

/** Lifetime of a client-credentials token, in seconds (the same as the sandbox's OAuth tokens). */
export const APP_TOKEN_TTL_SECONDS = 1800;

/**
 * The sandbox's webhooks journal: app lifecycle events in order, the app's journal
 * subscriptions, and the app's client-credentials tokens. An event is journaled only while a
 * subscription covers its action, as HubSpot writes only subscribed events.
 */
export class SandboxJournal {
  private readonly entries: JournalRecord[] = [];
  private readonly appTokens = new Map<string, { expiresAt: number; scopes: string[] }>();
  private fileFailures = 0;
  readonly subscriptions: JournalSubscription[] = [];

  constructor(private readonly now: () => number) {}

  /** Records a lifecycle event of `hubId` if subscribed; returns the entry (null when not subscribed). */
  record(hubId: number, action: LifecycleAction): JournalRecord | null {
    if (!this.subscriptions.some((s) => s.subscriptionType === 'APP_LIFECYCLE_EVENT' && s.actions.includes(action))) return null;
    const entry: JournalRecord = {
      offset: randomUUID(),
      event: { subscriptionType: 'APP_LIFECYCLE_EVENT', action, portalId: hubId, appId: SANDBOX_APP_ID, occurredAt: this.now() },
    };
    this.entries.push(entry);
    return entry;
  }

  earliest(): JournalRecord | undefined {
    return this.entries[0];
  }

  latest(): JournalRecord | undefined {
    return this.entries.at(-1);
  }

  /** The entry after `offset`: `null` when it is the last one, `undefined` when the offset is unknown. */
  after(offset: string): JournalRecord | null | undefined {
    const i = this.entries.findIndex((e) => e.offset === offset);
    if (i < 0) return undefined;
    return this.entries[i + 1] ?? null;
  }

  byOffset(offset: string): JournalRecord | undefined {
    return this.entries.find((e) => e.offset === offset);
  }

  /** Test helper: the next `n` entry-file downloads fail with a 503 (storage unavailable). */
  failNextFileFetches(n = 1): void {
    this.fileFailures = n;
  }

  /** True (and counts down) when the current file download is to fail. */
  takeFileFailure(): boolean {
    if (this.fileFailures <= 0) return false;
    this.fileFailures -= 1;
    return true;
  }

  /** Creates or replaces the app's subscription of that type. */
  subscribe(subscriptionType: string, actions: string[]): JournalSubscription {
    const at = new Date(this.now()).toISOString();
    const existing = this.subscriptions.find((s) => s.subscriptionType === subscriptionType);
    if (existing) {
      existing.actions = [...actions];
      existing.updatedAt = at;
      return existing;
    }
    const sub = { id: this.subscriptions.length + 1, appId: SANDBOX_APP_ID, subscriptionType, actions: [...actions], createdAt: at, updatedAt: at };
    this.subscriptions.push(sub);
    return sub;
  }

  issueAppToken(scopes: string[]): { accessToken: string; expiresIn: number } {
    const accessToken = `sandbox-app-${randomBytes(18).toString('base64url')}`;
    this.appTokens.set(accessToken, { expiresAt: this.now() + APP_TOKEN_TTL_SECONDS * 1000, scopes });
    return { accessToken, expiresIn: APP_TOKEN_TTL_SECONDS };
  }

  /** The scopes of a valid client-credentials token; undefined when unknown or expired. */
  appTokenScopes(token: string): string[] | undefined {
    const t = this.appTokens.get(token);
    return t && t.expiresAt > this.now() ? t.scopes : undefined;
  }
}
