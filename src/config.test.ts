import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs with no configuration in embedded mode, generating secrets once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first).toMatchObject({ port: 3000, publicBaseUrl: 'http://localhost:3000', databaseUrl: null, dataDir: dir });
    expect(second.apiTokenSecret).toBe(first.apiTokenSecret);
    expect(Buffer.from(first.tokenEncryptionKey, 'base64')).toHaveLength(32);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')).apiTokenSecret).toBe(first.apiTokenSecret);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud', DEFAULT_TIME_ZONE: 'Mars/Base' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/LOG_LEVEL/);
      expect(problems).toMatch(/DEFAULT_TIME_ZONE/);
    }
  });

  it('requires explicit secrets with a real database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/API_TOKEN_SECRET: required[\s\S]*TOKEN_ENCRYPTION_KEY: required/);
  });

  it('keeps webhooks off loopback by default in every mode; only WEBHOOK_ALLOW_LOOPBACK=true allows it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    expect(loadConfig({ DATA_DIR: dir }).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'development' }).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhooks.allowLoopback).toBe(true);
    // Production needs HubSpot credentials (test/safety-fail-closed.test.ts).
    const hubspot = { HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' };
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', ...hubspot }).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', WEBHOOK_ALLOW_LOOPBACK: 'true', ...hubspot }).webhooks.allowLoopback).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, WEBHOOK_ALLOW_LOOPBACK: 'false' }).webhooks.allowLoopback).toBe(false);
    expect(() => loadConfig({ DATA_DIR: dir, WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow(/WEBHOOK_ALLOW_LOOPBACK/);
  });

  it('turns online payments on with all three Stripe keys, off with none, and refuses a partial set', () => {
    const base = {
      DATABASE_URL: 'postgres://x',
      API_TOKEN_SECRET: 'x'.repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
    };
    expect(loadConfig(base).stripe).toBeNull();
    const on = loadConfig({
      ...base,
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      STRIPE_CONNECT_CLIENT_ID: 'ca_1',
      STRIPE_API_BASE_URL: 'http://127.0.0.1:12111/',
    });
    expect(on.stripe).toEqual({ secretKey: 'sk_test_1', webhookSecret: 'whsec_1', connectClientId: 'ca_1', apiBaseUrl: 'http://127.0.0.1:12111' });
    expect(loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_CONNECT_CLIENT_ID: 'ca_1' }).stripe?.apiBaseUrl).toBe(
      'https://api.stripe.com',
    );
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/set all three/);
  });
});
