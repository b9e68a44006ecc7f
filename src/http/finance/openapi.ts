import { z } from 'zod';
import { EXPORT_FORMATS } from '../../domain/exports/formats.js';
import { errors, idParam, json, jsonBody, noContent, paramsOf, pathParam, PUBLIC, type Paths, type ResponseObject } from '../openapi-parts.js';
import { batchListQuery, exportLinkBody, exportQuery } from './export-schema.js';
import { agingReportResponse, exportBatchPageResponse, exportBatchResponse, exportLinkResponse, savedViewListResponse, savedViewResponse } from './response.js';
import { agingQuery, createViewBody } from './schema.js';

const batchHeader = { 'X-Export-Batch-Id': { description: 'the batch this file was recorded as', schema: { type: 'string', format: 'uuid' } } };

/** 429 too_many_exports: the portal runs its most exports at once (EXPORT_MAX_CONCURRENT). */
const tooManyExports = {
  429: {
    ...errors(429)[429]!,
    description: 'too_many_exports: the portal already runs its most exports at once (EXPORT_MAX_CONCURRENT); retry after Retry-After seconds',
    headers: { 'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } } },
  },
};

/** An export file: CSV (csv, xero-csv, qbo-csv), tab-separated IIF (qbd-iif) or JSON (json). */
const exportFile = (description: string): ResponseObject => ({
  description,
  headers: batchHeader,
  content: {
    'text/csv': { schema: { type: 'string' } },
    'text/plain': { schema: { type: 'string' } },
    'application/json': { schema: { type: 'string' } },
  },
});

/** /api/v1/views, /api/v1/reports, /api/v1/exports and the public export download. */
export const financePaths: Paths = {
  '/api/v1/views': {
    get: { summary: "The caller's saved invoice-list views (needs view)", responses: { 200: json('The views', savedViewListResponse), ...errors(401, 403) } },
    post: {
      summary: 'Save a view: a name and the list filters, validated as GET /api/v1/invoices validates them (needs view)',
      requestBody: jsonBody(createViewBody),
      responses: { 201: json('The view', savedViewResponse), ...errors(400, 401, 403, 409) },
    },
  },
  '/api/v1/views/{id}': {
    delete: {
      summary: "Delete one of the caller's views (needs view)",
      parameters: [idParam],
      responses: { 204: noContent('Deleted'), ...errors(401, 403, 404) },
    },
  },
  '/api/v1/reports/aging': {
    get: {
      summary: 'Per currency: count and balance of open invoices current, 1-30, 31-60, 61-90, 90+ days past due (needs view)',
      parameters: paramsOf(agingQuery, 'query'),
      responses: { 200: json('The report', agingReportResponse), ...errors(400, 401, 403) },
    },
  },
  '/api/v1/exports/{format}': {
    get: {
      summary:
        'Streamed accounting export, recorded as a batch (needs export). A client that stops reading for EXPORT_WRITE_TIMEOUT_SECONDS is cut off and nothing is recorded',
      parameters: [pathParam('format', z.enum(EXPORT_FORMATS)), ...paramsOf(exportQuery, 'query')],
      responses: { 200: exportFile('The file'), ...errors(400, 401, 403, 404, 422), ...tooManyExports },
    },
  },
  '/api/v1/exports/batches': {
    get: {
      summary: 'Recorded export batches, newest first (needs export)',
      parameters: paramsOf(batchListQuery, 'query'),
      responses: { 200: json('A page of batches', exportBatchPageResponse), ...errors(400, 401, 403) },
    },
  },
  '/api/v1/exports/batches/{id}': {
    get: { summary: 'One batch (needs export)', parameters: [idParam], responses: { 200: json('The batch', exportBatchResponse), ...errors(401, 403, 404) } },
  },
  '/api/v1/exports/batches/{id}/file': {
    get: {
      summary: "The batch's file again, byte for byte, with the same type and disposition (needs export)",
      parameters: [idParam],
      responses: { 200: exportFile('The file'), ...errors(401, 403, 404) },
    },
  },
  '/api/v1/exports/links': {
    post: {
      summary: 'A signed, single-use, 5-minute download link for a browser tab (needs export)',
      requestBody: jsonBody(exportLinkBody),
      responses: { 200: json('The link', exportLinkResponse), ...errors(400, 401, 403) },
    },
  },
  '/exports/download/{token}': {
    get: {
      summary: 'Streams and records the export a download link names, and consumes the link: it works once (the signed token is the credential)',
      ...PUBLIC,
      parameters: [pathParam('token', z.string())],
      responses: { 200: exportFile('The file'), ...errors(401, 410, 422), ...tooManyExports },
    },
    head: {
      summary: 'Whether the link still works, without consuming it (for unfurlers and prefetchers that ask HEAD first)',
      ...PUBLIC,
      parameters: [pathParam('token', z.string())],
      responses: { 200: noContent('The link is usable; Content-Type is the file type'), 401: noContent('Invalid or expired'), 410: noContent('Already used') },
    },
  },
};
