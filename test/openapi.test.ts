/**
 * GET /api/v1/openapi.json is generated from the zod schemas: every route the routers register is
 * in it (and nothing else), and every operation states its parameters, request body and answers
 * as schemas, not prose.
 */
import type { Express } from 'express';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from './helpers/db.js';
import { testApp } from './helpers/app.js';

let db: Knex;
let app: Express;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

interface Operation {
  summary: string;
  parameters?: Array<{ name: string; in: string; schema?: object }>;
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: object }> }>;
}

beforeAll(async () => {
  db = await openTestDb();
  app = testApp(db).app;
  doc = (await supertest(app).get('/api/v1/openapi.json')).body;
});
afterAll(async () => {
  await db.destroy();
});

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route registered on the app, walking mounted routers. */
function registeredRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`.replace(/\/$/, '') || '/';
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    }
    if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return registeredRoutes(layer.handle.stack, `${prefix}${mount}`);
    }
    return [];
  });
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, path, method, op })),
  );

// Operations that change state from the path alone, without a body.
const BODYLESS = new Set([
  'POST /api/v1/invoices/{id}/finalize',
  'POST /api/v1/invoices/{id}/resync',
  'POST /api/v1/stripe/connect',
  'POST /api/v1/settings/domains/{domain}/verify',
]);

describe('GET /api/v1/openapi.json', () => {
  it('describes every route the routers register, and no other', () => {
    const routes = [...new Set(registeredRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack))].sort();
    expect(routes.length).toBeGreaterThan(40);
    expect(
      operations()
        .map((o) => o.id)
        .sort(),
    ).toEqual(routes);
  });

  it('gives every operation schemas for its parameters, body and answers', () => {
    for (const { id, path, method, op } of operations()) {
      expect(op.summary, id).toBeTruthy();
      for (const p of op.parameters ?? []) expect(p.schema, `${id} parameter ${p.name}`).toBeTypeOf('object');
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect(declared, `${id} path parameters`).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort());
      if (['post', 'put', 'patch'].includes(method) && !BODYLESS.has(id)) {
        const content = Object.values(op.requestBody?.content ?? {});
        expect(content.length, `${id} request body`).toBeGreaterThan(0);
        for (const c of content) expect(c.schema, `${id} request body schema`).toBeTypeOf('object');
      }
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => /^[23]/.test(s)),
        `${id} success answer`,
      ).toBe(true);
      for (const [status, response] of Object.entries(op.responses)) {
        const where = `${id} ${status}`;
        // Prose placeholders of the old hand-written document looked like '{"data": [...]}'.
        expect(response.description, where).not.toMatch(/[{}[\]]/);
        // A HEAD answer never has a body (RFC 9110, section 9.3.2).
        if (status === '204' || method === 'head') expect(response.content, where).toBeUndefined();
        else if (status === '302' || status === '303') expect(response.headers, where).toHaveProperty('Location');
        else {
          const content = Object.values(response.content ?? {});
          expect(content.length, where).toBeGreaterThan(0);
          for (const c of content) expect(Object.keys(c.schema ?? {}).length, where).toBeGreaterThan(0);
        }
      }
    }
  });

  it('answers with JSON errors in the shared error shape, and every reference resolves', () => {
    const json = JSON.stringify(doc);
    for (const [, id] of json.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas, id).toHaveProperty(id!);
    const finalize = doc.paths['/api/v1/invoices/{id}/finalize']!.post!;
    expect(finalize.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Invoice' });
    expect(finalize.responses['422']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    const invoice = doc.components.schemas.Invoice as { additionalProperties: boolean; required: string[] };
    expect(invoice.additionalProperties).toBe(false);
    expect(invoice.required).toEqual(expect.arrayContaining(['id', 'number', 'status', 'total', 'balanceDue', 'hostedUrl']));
  });
});
