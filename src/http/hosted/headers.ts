import type { Response } from 'express';
import { HOSTED_CSS_HASH } from './styles.js';

/**
 * Content-Security-Policy of the hosted page: nothing loads or runs unless listed. No script at
 * all; the one stylesheet by hash; logos from any https origin; forms post only to this origin
 * and on to Stripe Checkout (browsers apply form-action to the pay form's redirect too).
 */
export const HOSTED_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  `style-src ${HOSTED_CSS_HASH}`,
  'img-src https:',
  "form-action 'self' https://checkout.stripe.com",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every hosted response: private, never cached or framed, no referrer leaks the token. */
export function setPrivateHeaders(res: Response): void {
  res.set({
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Robots-Tag': 'noindex, nofollow',
  });
}

/** Headers of an HTML page: the private ones plus the CSP and frame protection. */
export function setPageHeaders(res: Response): void {
  setPrivateHeaders(res);
  res.set({ 'Content-Security-Policy': HOSTED_CSP, 'X-Frame-Options': 'DENY' });
  res.type('html');
}
