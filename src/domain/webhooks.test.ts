import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './ip-address.js';
import { webhookRetryDelayMs, webhookUrlProblem } from './webhooks.js';

describe('webhook URLs', () => {
  const dev = { allowLoopback: true };
  const prod = { allowLoopback: false };

  it('accepts public https URLs, and plain http only to loopback in development', () => {
    expect(webhookUrlProblem('https://hooks.example.com/a?b=c', prod)).toBeNull();
    expect(webhookUrlProblem('https://8.8.8.8:8443/x', prod)).toBeNull();
    expect(webhookUrlProblem('https://[2606:4700::1111]/x', prod)).toBeNull();
    for (const url of ['http://127.0.0.1:3000/x', 'http://localhost/x', 'http://[::1]:9/x']) {
      expect(webhookUrlProblem(url, dev)).toBeNull();
      expect(webhookUrlProblem(url, prod)).toMatch(/https/);
    }
    expect(webhookUrlProblem('http://127.0.0.2/x', dev)).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.com/x', dev)).toMatch(/https/);
  });

  it('refuses private, loopback and link-local literals however they are written', () => {
    for (const url of [
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://192.168.0.1/',
      'https://169.254.169.254/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://0x0a.0.0.1/',
      'https://167772161/',
    ]) {
      expect(webhookUrlProblem(url, dev), url).toMatch(/private/);
    }
    for (const url of ['https://localhost/', 'https://api.localhost/', 'https://127.0.0.1/']) expect(webhookUrlProblem(url, prod), url).toMatch(/loopback/);
    expect(isPrivateAddress('hooks.example.com')).toBe(false);
  });

  it('refuses credentials, fragments, other schemes, control characters and overlong URLs', () => {
    expect(webhookUrlProblem('https://u:p@example.com/', dev)).toMatch(/password/);
    expect(webhookUrlProblem('https://u@example.com/', dev)).toMatch(/password/);
    expect(webhookUrlProblem('https://example.com/#', dev)).toMatch(/fragment/);
    expect(webhookUrlProblem('file:///etc/passwd', dev)).toMatch(/https/);
    expect(webhookUrlProblem('https://exa\tmple.com/', dev)).toMatch(/control/);
    expect(webhookUrlProblem(' https://example.com/', dev)).toMatch(/spaces/);
    expect(webhookUrlProblem(`https://example.com/${'a'.repeat(2030)}`, dev)).toMatch(/2048/);
    expect(webhookUrlProblem('/relative', dev)).toMatch(/absolute/);
  });
});

describe('webhook retry delay', () => {
  it('grows by four from a minute, stays under six hours, and jitters by at most 20 %', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => webhookRetryDelayMs(n, 0.5))).toEqual([60_000, 240_000, 960_000, 3_840_000, 15_360_000, 21_600_000, 21_600_000]);
    expect(webhookRetryDelayMs(1, 0)).toBe(48_000);
    expect(webhookRetryDelayMs(1, 0.999999)).toBeLessThanOrEqual(72_000);
  });
});
