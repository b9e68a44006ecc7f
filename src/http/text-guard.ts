import type { RequestHandler } from 'express';
import { AppError } from '../app/errors.js';

/**
 * How deep a JSON body may nest (objects and arrays inside each other). No request of this API
 * comes near it; a body nested thousands deep is an attack on the recursive code that reads it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, and an unpaired UTF-16 surrogate is not text
 * at all (jsonb refuses it, text silently turns it into U+FFFD). Refusing both here, for every
 * string and key in the body and the query, gives a 400 naming the field instead of a 500. This
 * guard runs on every route before authentication, so it walks the body with its own stack (no
 * recursion) and refuses a body nested deeper than {@link MAX_JSON_DEPTH} with a 400 too.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  const bad = findUnstorable(req.body, 'body') ?? findUnstorable(req.query, 'query');
  if (bad) {
    const message = bad.tooDeep ? `is nested deeper than ${MAX_JSON_DEPTH} levels` : 'contains a NUL character or invalid Unicode';
    throw new AppError('validation_failed', `${bad.path}: ${message}`, [{ path: bad.path.replace(/^(body|query)\.?/, '') || bad.path, message }]);
  }
  next();
};

function unstorable(text: string): boolean {
  return text.includes('\u0000') || !(text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A value still to look at: its path, how many containers hold it, and its key to check first. */
interface Pending {
  value: unknown;
  path: string;
  depth: number;
  key?: string;
}

/** The first unstorable string or key in document order, or the first container nested too deep. */
function findUnstorable(root: unknown, rootPath: string): { path: string; tooDeep: boolean } | null {
  const stack: Pending[] = [{ value: root, path: rootPath, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (next.key !== undefined && unstorable(next.key)) return { path, tooDeep: false };
    if (typeof value === 'string') {
      if (unstorable(value)) return { path, tooDeep: false };
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { path: rootPath, tooDeep: true };
    // Pushed in reverse, so they pop in document order.
    const children: Pending[] = Array.isArray(value)
      ? value.map((item, i) => ({ value: item as unknown, path: `${path}[${i}]`, depth: depth + 1 }))
      : Object.entries(value).map(([key, item]) => ({ value: item, path: path ? `${path}.${key}` : key, depth: depth + 1, key }));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}
