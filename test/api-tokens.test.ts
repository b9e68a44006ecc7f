import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { decodeApiToken, issueApiToken } from '../src/app/api-tokens.js';
import { revokeApiToken } from '../src/app/revoke-api-token.js';
import { SCOPES } from '../src/domain/actor.js';
import { createLogger } from '../src/observability/logger.js';
import { newPortalId, TEST_SECRET } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';

/** Every line the service logs during these tests. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(chunk.toString('utf8'));
    done();
  },
});
const t = useTestApp({ logger: createLogger('trace', sink) });
const run = promisify(execFile);

const list = (token: string, query = '') => supertest(t.app).get(`/api/v1/invoices${query}`).set('Authorization', `Bearer ${token}`);
const claims = (portalId: number) => ({ portalId, userId: '1', scopes: SCOPES });

describe('API tokens (issue 13, finding 7)', () => {
  it('carry an expiry (90 days by default) and an id', () => {
    const token = issueApiToken(TEST_SECRET, claims(newPortalId()));
    const payload = jwt.decode(token) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(90 * 86_400);
    expect(payload.jti).toMatch(/^[\w-]{20,}$/);
    expect(decodeApiToken(TEST_SECRET, token)).toMatchObject({ ok: true, jti: payload.jti });
  });

  it('refuses a token without exp (or without jti) with a message saying to issue a new one', async () => {
    const portalId = newPortalId();
    const base = { algorithm: 'HS256', issuer: 'hubspot-invoicing', audience: 'hubspot-invoicing-api' } as const;
    const noExp = jwt.sign(claims(portalId), TEST_SECRET, { ...base, jwtid: 'abc' });
    const noJti = jwt.sign(claims(portalId), TEST_SECRET, { ...base, expiresIn: '1d' });
    for (const token of [noExp, noJti]) {
      const res = await list(token);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('The API token has no expiry or id (exp, jti); issue a new one with npm run token');
    }
  });

  it('refuses a token that lives longer than API_TOKEN_MAX_DAYS', async () => {
    const portalId = newPortalId();
    expect((await list(issueApiToken(TEST_SECRET, { ...claims(portalId), expiresIn: '365d' }))).status).toBe(200);
    const res = await list(issueApiToken(TEST_SECRET, { ...claims(portalId), expiresIn: '366d' }));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('API_TOKEN_MAX_DAYS');
  });

  it('stop working at once when revoked, for that portal and id only', async () => {
    const portalId = newPortalId();
    const token = issueApiToken(TEST_SECRET, claims(portalId));
    const other = issueApiToken(TEST_SECRET, claims(portalId));
    expect((await list(token)).status).toBe(200);
    const decoded = decodeApiToken(TEST_SECRET, token);
    if (!decoded.ok) throw new Error('token did not decode');
    // The same id in another portal is another token.
    await revokeApiToken(t.deps, portalId + 1, decoded.jti);
    expect((await list(token)).status).toBe(200);
    expect(await revokeApiToken(t.deps, portalId, decoded.jti)).toBe(true);
    expect(await revokeApiToken(t.deps, portalId, decoded.jti)).toBe(false);
    const res = await list(token);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('The API token was revoked');
    expect((await list(other)).status).toBe(200);
  });

  it('never appear in log lines, from the Authorization header or a query string', async () => {
    const portalId = newPortalId();
    const good = issueApiToken(TEST_SECRET, claims(portalId));
    const bad = issueApiToken('another-secret-another-secret-0123456789', claims(portalId));
    lines.length = 0;
    expect((await list(good, `?access_token=${good}&token=${good}`)).status).toBe(200);
    expect((await list(bad, `?access_token=${bad}`)).status).toBe(401);
    expect((await supertest(t.app).get(`/nope?token=${good}`).set('Authorization', `Bearer ${good}`)).status).toBe(404);
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('');
    for (const token of [good, bad]) {
      expect(text).not.toContain(token);
      // Nor the signature part alone.
      expect(text).not.toContain(token.split('.')[2]);
    }
  });
});

describe('npm run token (expiry bound and revocation)', () => {
  const env = (dataDir: string, extra: Record<string, string> = {}) => ({
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    API_TOKEN_SECRET: '',
    TOKEN_ENCRYPTION_KEY: '',
    API_TOKEN_MAX_DAYS: '',
    ...extra,
  });

  it('refuses --expires above the configured maximum', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'token-'));
    await expect(
      run('npx', ['tsx', 'src/cli/token.ts', '--portal', '42', '--expires', '31d'], { env: env(dataDir, { API_TOKEN_MAX_DAYS: '30' }) }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--expires may be at most 30d (API_TOKEN_MAX_DAYS)'),
    });
    // Without --expires the default shrinks to the maximum.
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/token.ts', '--portal', '42'], { env: env(dataDir, { API_TOKEN_MAX_DAYS: '30' }) });
    const payload = jwt.decode(stdout.trim()) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(30 * 86_400);
    expect(stderr).toContain(`--revoke ${payload.jti} --portal 42`);
  });

  it('--revoke records the revocation in the database', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'token-'));
    const revoke = () => run('npx', ['tsx', 'src/cli/token.ts', '--revoke', 'some-jti', '--portal', '42'], { env: env(dataDir) });
    expect((await revoke()).stdout.trim()).toBe('revoked token some-jti of portal 42');
    expect((await revoke()).stdout.trim()).toBe('token some-jti of portal 42 was already revoked');
  });
});
