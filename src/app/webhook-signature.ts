import { createHmac } from 'node:crypto';

/**
 * The `Invoicing-Signature` header of a delivery, Stripe style: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<body>")>`. Receivers recompute it over the raw body and should refuse
 * timestamps far from their clock (replays).
 */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
