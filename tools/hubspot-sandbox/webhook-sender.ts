import { createHmac } from 'node:crypto';
import { SANDBOX_APP_ID } from './auth-store.js';
import { OBJECT_TYPES, type CrmObjectType } from './object-types.js';

/** A CRM change the store reports (after it happened). */
export type SandboxChange =
  | { kind: 'property'; type: CrmObjectType; id: string; propertyName: string; propertyValue: string }
  | { kind: 'deletion'; type: CrmObjectType; id: string }
  | { kind: 'association'; from: { type: CrmObjectType; id: string }; to: { type: CrmObjectType; id: string }; removed: boolean };

/** Where the sandbox posts webhooks: `url` is called, `signedUrl` (the public URL) is signed. */
export interface SandboxWebhookTarget {
  url: string;
  signedUrl?: string;
}

/** Object types the invoicing app's webhooks component subscribes to. */
const SUBSCRIBED: ReadonlySet<CrmObjectType> = new Set(['contacts', 'deals', 'line_items']);

/**
 * Sends the store's CRM changes as a project app's webhooks: batches of generic `object.*`
 * events (`objectTypeId` names the type) posted as a JSON array, signed v3 with the app's client
 * secret. Only what the app subscribes to: contact, deal and line item changes, and association
 * changes of a deal. Off until `configure()` names a target.
 */
export class SandboxWebhooks {
  private target: SandboxWebhookTarget | null = null;
  private pending: object[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private nextEventId = 1;
  /** Batches sent, with the receiver's status (0 when it could not be reached). */
  readonly sent: Array<{ status: number; events: object[] }> = [];

  constructor(
    private readonly clientSecret: string,
    private readonly now: () => number,
  ) {}

  configure(target: SandboxWebhookTarget | null): void {
    this.target = target;
  }

  /** Queues the change's event (if subscribed) and sends the batch on the next tick. */
  record(hubId: number, change: SandboxChange): void {
    if (!this.target) return;
    const event = this.eventOf(hubId, change);
    if (!event) return;
    this.pending.push(event);
    if (this.pending.length === 1) setImmediate(() => void this.flush());
  }

  /** Sends what is queued; resolves when every batch so far was answered. */
  flush(): Promise<void> {
    const batch = this.pending.splice(0);
    const target = this.target;
    if (batch.length > 0 && target) this.flushing = this.flushing.then(() => this.post(target, batch));
    return this.flushing;
  }

  private async post(target: SandboxWebhookTarget, events: object[]): Promise<void> {
    const body = JSON.stringify(events);
    const timestamp = String(this.now());
    const signature = createHmac('sha256', this.clientSecret)
      .update(`POST${target.signedUrl ?? target.url}${body}${timestamp}`)
      .digest('base64');
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      this.sent.push({ status: res.status, events });
    } catch {
      this.sent.push({ status: 0, events });
    }
  }

  private eventOf(hubId: number, change: SandboxChange): object | null {
    const base = {
      appId: SANDBOX_APP_ID,
      eventId: this.nextEventId++,
      subscriptionId: 1,
      portalId: hubId,
      occurredAt: this.now(),
      attemptNumber: 0,
      changeSource: 'CRM_UI',
    };
    if (change.kind === 'association') {
      if (change.from.type !== 'deals' && change.to.type !== 'deals') return null;
      return {
        ...base,
        subscriptionType: 'object.associationChange',
        fromObjectTypeId: OBJECT_TYPES[change.from.type].typeId,
        fromObjectId: Number(change.from.id),
        toObjectTypeId: OBJECT_TYPES[change.to.type].typeId,
        toObjectId: Number(change.to.id),
        associationRemoved: change.removed,
      };
    }
    if (!SUBSCRIBED.has(change.type)) return null;
    const object = { objectId: Number(change.id), objectTypeId: OBJECT_TYPES[change.type].typeId };
    if (change.kind === 'deletion') return { ...base, subscriptionType: 'object.deletion', ...object, changeFlag: 'DELETED' };
    return { ...base, subscriptionType: 'object.propertyChange', ...object, propertyName: change.propertyName, propertyValue: change.propertyValue };
  }
}
