import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { SANDBOX_CLIENT_SECRET } from './fakes/hubspot-signing.js';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { freePort } from './helpers/service-process.js';

// Issue 13, finding 1: the local HubSpot sandbox (and its secret) must never be what a production
// service verifies HubSpot's signatures with.

const SECRETS = { API_TOKEN_SECRET: 'x'.repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') };
const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('loadConfig accepted the configuration');
};

describe('fail closed: HubSpot credentials outside embedded development', () => {
  it('refuses to start on PostgreSQL or in production without HubSpot credentials, saying what to set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'safety-'));
    const refused: Array<Record<string, string>> = [
      { ...SECRETS, DATABASE_URL: 'postgres://db/x' },
      { DATA_DIR: dir, NODE_ENV: 'production' },
      { ...SECRETS, DATABASE_URL: 'postgres://db/x', NODE_ENV: 'production' },
      { DATA_DIR: dir, HUBSPOT_SANDBOX: 'false' },
    ];
    for (const env of refused) {
      const message = problemsOf(env);
      expect(message).toMatch(/HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET: required/);
      expect(message).toMatch(/HUBSPOT_SANDBOX=true/);
    }
  });

  it('runs the sandbox in embedded development mode, or anywhere when HUBSPOT_SANDBOX=true', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'safety-'));
    expect(loadConfig({ DATA_DIR: dir }).hubspot.mode).toBe('sandbox');
    expect(loadConfig({ ...SECRETS, DATA_DIR: dir, DATABASE_URL: 'postgres://db/x', HUBSPOT_SANDBOX: 'true' }).hubspot.mode).toBe('sandbox');
    expect(
      loadConfig({ ...SECRETS, DATABASE_URL: 'postgres://db/x', NODE_ENV: 'production', HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' }).hubspot,
    ).toMatchObject({
      mode: 'live',
      clientSecret: 'secret',
    });
  });

  it('gives the sandbox a random client secret per data directory, kept in secrets.json', async () => {
    const [a, b] = [await mkdtemp(join(tmpdir(), 'safety-')), await mkdtemp(join(tmpdir(), 'safety-'))];
    const first = loadConfig({ DATA_DIR: a }).hubspot.clientSecret;
    expect(first).not.toBe(SANDBOX_CLIENT_SECRET);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: a }).hubspot.clientSecret).toBe(first);
    expect(loadConfig({ DATA_DIR: b }).hubspot.clientSecret).not.toBe(first);
    expect(JSON.parse(await readFile(join(a, 'secrets.json'), 'utf8')).hubspotSandboxClientSecret).toBe(first);
  });

  it('adds the sandbox secret to an older secrets.json, keeping the secrets already there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'safety-'));
    const old = { apiTokenSecret: 'a'.repeat(43), tokenEncryptionKey: Buffer.alloc(32, 3).toString('base64') };
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(old), { mode: 0o600 });
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({ apiTokenSecret: old.apiTokenSecret, tokenEncryptionKey: old.tokenEncryptionKey });
    expect(config.hubspot.clientSecret).not.toBe(SANDBOX_CLIENT_SECRET);
    expect(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'))).toEqual({ ...old, hubspotSandboxClientSecret: config.hubspot.clientSecret });
  });
});

describe('fail closed: HubSpot events only for portals that installed the app', () => {
  let db: Knex;
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    db = await openTestDb();
    t = testApp(db);
  });
  afterAll(() => db.destroy());

  const privacyDeletion = (portalId: number) => [
    { eventId: newPortalId(), subscriptionId: 1, portalId, occurredAt: Date.now(), subscriptionType: 'contact.privacyDeletion', objectId: 101 },
  ];
  const sendV1 = (events: unknown) => {
    const body = JSON.stringify(events);
    return supertest(t.app)
      .post('/webhooks/hubspot')
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature-Version', 'v1')
      .set('X-HubSpot-Signature', createHash('sha256').update(`${SANDBOX_CLIENT_SECRET}${body}`).digest('hex'))
      .send(body);
  };
  const billToContact = { contactId: '101', name: 'Ada Buyer', email: 'ada@example.com', companyName: 'Example BV' };

  it('acknowledges (2xx) but does not apply an event for a portal that only an API token created', async () => {
    const portal = newPortalId();
    const draft = await t.as(portal).post('/api/v1/invoices', draftBody({ billTo: billToContact }));
    expect(draft.status).toBe(201);
    const res = await sendV1(privacyDeletion(portal));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 1, applied: 0, duplicate: 0, ignored: 1 });
    expect((await t.as(portal).get(`/api/v1/invoices/${draft.body.id}`)).body.billTo).toMatchObject(billToContact);
  });

  it('applies it once the portal has installed the app', async () => {
    const portal = newPortalId();
    await installedPortal(t.deps, portal);
    const draft = await t.as(portal).post('/api/v1/invoices', draftBody({ billTo: billToContact }));
    const res = await sendV1(privacyDeletion(portal));
    expect(res.body).toEqual({ received: 1, applied: 1, duplicate: 0, ignored: 0 });
    expect((await t.as(portal).get(`/api/v1/invoices/${draft.body.id}`)).body.billTo).toBeNull();
  });
});

describe('fail closed: npm start with no configuration', () => {
  it('starts the sandbox with the generated secret: signatures with the old constant are refused', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'safety-start-'));
    const port = await freePort();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|API_TOKEN_SECRET|TOKEN_ENCRYPTION_KEY|HUBSPOT_|NODE_ENV|PUBLIC_BASE_URL)/.test(k)),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      // "listening" is logged after the sample portal's OAuth install through the sandbox, which
      // only succeeds when the sandbox and the service share the client secret.
      while (!out.includes('listening on')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`service did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const { hubspotSandboxClientSecret } = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8'));
      const body = JSON.stringify([{ eventId: 1, subscriptionId: 1, portalId: 1, occurredAt: Date.now(), subscriptionType: 'contact.creation', objectId: 1 }]);
      const post = (secret: string) =>
        fetch(`http://127.0.0.1:${port}/webhooks/hubspot`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hubspot-signature-version': 'v1',
            'x-hubspot-signature': createHash('sha256').update(`${secret}${body}`).digest('hex'),
          },
          body,
        });
      expect((await post(SANDBOX_CLIENT_SECRET)).status).toBe(401);
      expect((await post(hubspotSandboxClientSecret)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 90_000);
});
