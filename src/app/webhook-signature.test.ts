import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookSignature } from './webhook-signature.js';

describe('webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = webhookSignature('whsec_test', '{"a":1}', new Date('2026-11-28T12:00:00.999Z'));
    const t = Math.floor(Date.parse('2026-11-28T12:00:00Z') / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', 'whsec_test').update(`${t}.{"a":1}`).digest('hex')}`);
  });
});
