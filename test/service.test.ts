import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyApiToken } from '../src/app/api-tokens.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp();

describe('service endpoints', () => {
  it('answers liveness and readiness', async () => {
    expect((await supertest(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await supertest(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('publishes the OpenAPI document built from the request schemas', async () => {
    const res = await supertest(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const create = res.body.paths['/api/v1/invoices'].post.requestBody.content['application/json'].schema;
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(create.properties)).toContain('lineItems');
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await supertest(t.app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('npm run token', () => {
  it('prints a token signed with the embedded secret, without opening the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'token-'));
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/token.ts', '--portal', '42', '--user', '7', '--scopes', 'invoices:read'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', API_TOKEN_SECRET: '', TOKEN_ENCRYPTION_KEY: '' },
    });
    const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8'));
    expect(verifyApiToken(secrets.apiTokenSecret, stdout.trim())).toMatchObject({
      portalId: 42,
      userId: '7',
      kind: 'api_token',
      scopes: ['invoices:read'],
      permissions: { view: true, edit: false },
    });
  });

  it('refuses a missing portal with a usage message', async () => {
    await expect(promisify(execFile)('npx', ['tsx', 'src/cli/token.ts'], { env: process.env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--portal'),
    });
  });
});
