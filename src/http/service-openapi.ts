import { z } from 'zod';
import { body, json, PUBLIC, type Paths } from './openapi-parts.js';

/** The service's own routes: health, readiness and this document. */
export const servicePaths: Paths = {
  '/healthz': {
    get: { summary: 'Liveness: the process answers', ...PUBLIC, responses: { 200: json('Alive', z.strictObject({ status: z.literal('ok') })) } },
  },
  '/readyz': {
    get: {
      summary: 'Readiness: the database answers and its migrations are current',
      ...PUBLIC,
      responses: {
        200: json('Ready', z.strictObject({ status: z.literal('ready') })),
        503: json('Not ready, and why', z.strictObject({ status: z.enum(['migrations_pending', 'database_unreachable']) })),
      },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      summary: 'This document',
      ...PUBLIC,
      responses: {
        200: {
          description: 'The OpenAPI 3.1 document',
          content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } },
        },
      },
    },
  },
};

/**
 * `/metrics` on the API listener: there only when `METRICS_TOKEN` is set, and only with it as the
 * bearer token (the counters span every tenant); with `METRICS_PORT` it lives on its own listener,
 * outside this document.
 */
export const metricsPaths: Paths = {
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (counts and latencies of every tenant; bearer METRICS_TOKEN)',
      responses: { 200: body('Prometheus text format', 'text/plain'), 401: body('Missing or wrong METRICS_TOKEN', 'text/plain') },
    },
  },
};
