/**
 * The service's logger: pino with a request id on every line written while a request is being
 * handled (AsyncLocalStorage, so use cases logging through `deps.logger` get it too), and secrets
 * redacted by key wherever they appear in a logged object.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';

interface RequestContext {
  reqId: string;
}

const context = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it starts) as part of the request `reqId`. */
export function runWithRequestId<T>(reqId: string, fn: () => T): T {
  return context.run({ reqId }, fn);
}

/** Keys whose values are never written, at any depth up to four levels. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'apiTokenSecret',
  'tokenEncryptionKey',
  'secret',
  'password',
  'stripeSecretKey',
  'secretKey',
  'apiKey',
  'webhookSecret',
  'stripe-signature',
  'x-hubspot-signature-v3',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    paths.push(k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`);
  }
  return paths;
}

/** Builds the process logger. `destination` is for tests that read what was logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      mixin(mergeObject, _level, instance) {
        const store = context.getStore();
        // Request loggers (req.log) already carry the id as a binding: do not write it twice.
        if (!store || 'reqId' in mergeObject || 'reqId' in instance.bindings()) return {};
        return { reqId: store.reqId };
      },
    },
    destination,
  );
}
