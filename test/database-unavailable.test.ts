import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../src/http/errors.js';

/** An app whose one route fails the way the database driver does when the server goes away. */
function failingWith(err: Error & { code?: string }) {
  const app = express();
  app.get('/x', () => {
    throw err;
  });
  app.use(errorHandler);
  return supertest(app);
}

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('the database going away under a request', () => {
  it.each([
    ['admin shutdown (PostgreSQL restart)', withCode('terminating connection due to administrator command', '57P01')],
    ['cannot connect now (starting up)', withCode('the database system is starting up', '57P03')],
    ['connection failure', withCode('connection failure', '08006')],
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['driver: connection terminated', withCode('Connection terminated unexpectedly')],
  ])('%s is a 503 database_unavailable with Retry-After, not a 500', async (_name, err) => {
    const res = await failingWith(err).get('/x');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body.error).toMatchObject({ code: 'database_unavailable', message: expect.stringContaining('nothing was changed') });
  });

  it('other unknown errors stay a generic 500', async () => {
    const res = await failingWith(withCode('boom', '42P01')).get('/x');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
  });
});
