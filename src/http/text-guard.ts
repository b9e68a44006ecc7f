import type { RequestHandler } from 'express';
import { AppError } from '../app/errors.js';

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, and an unpaired UTF-16 surrogate is not text
 * at all (jsonb refuses it, text silently turns it into U+FFFD). Refusing both here, for every
 * string and key in the body and the query, gives a 400 naming the field instead of a 500.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  const bad = findUnstorable(req.body, 'body') ?? findUnstorable(req.query, 'query');
  if (bad) {
    throw new AppError('validation_failed', `${bad}: contains a NUL character or invalid Unicode`, [
      { path: bad.replace(/^(body|query)\.?/, '') || bad, message: 'contains a NUL character or invalid Unicode' },
    ]);
  }
  next();
};

function unstorable(text: string): boolean {
  return text.includes('\u0000') || !(text as string & { isWellFormed(): boolean }).isWellFormed();
}

function findUnstorable(value: unknown, path: string): string | null {
  if (typeof value === 'string') return unstorable(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      if (unstorable(key)) return child;
      const found = findUnstorable(item, child);
      if (found) return found;
    }
  }
  return null;
}
