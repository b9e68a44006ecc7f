import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts and decrypts short secrets (OAuth tokens) for storage at rest. */
export interface SecretBox {
  /**
   * AES-256-GCM with a fresh random IV; returns `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
   * `context` is bound as associated data: a value sealed for one portal and column does not
   * open for another, so a row-level copy in the database cannot move a token between portals.
   */
  seal(plaintext: string, context?: string): string;
  /** Reverses `seal`; throws when the value was tampered with, has another context or another key. */
  open(sealed: string, context?: string): string;
}

/**
 * A SecretBox over `keyBase64` (32 bytes, base64: `config.tokenEncryptionKey`). `previousKeys`
 * only open: during a key rotation values sealed under an older key keep working until
 * `npm run secrets:reseal` has sealed them again under the current one.
 */
export function createSecretBox(keyBase64: string, previousKeys: readonly string[] = []): SecretBox {
  const current = singleKeyBox(keyBase64);
  const older = previousKeys.map(singleKeyBox);
  return {
    seal: current.seal,
    open(sealed, context = '') {
      try {
        return current.open(sealed, context);
      } catch (err) {
        for (const box of older) {
          try {
            return box.open(sealed, context);
          } catch {
            // try the next older key
          }
        }
        throw err;
      }
    },
  };
}

/** The box of the configured keys: the current one seals, the previous ones still open. */
export function configuredSecretBox(config: { tokenEncryptionKey: string; previousTokenEncryptionKeys?: readonly string[] }): SecretBox {
  return createSecretBox(config.tokenEncryptionKey, config.previousTokenEncryptionKeys ?? []);
}

function singleKeyBox(keyBase64: string): SecretBox {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('secret box: the key must be 32 bytes, base64-encoded');
  return {
    seal(plaintext, context = '') {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed, context = '') {
      const parts = sealed.split('.');
      // The version prefix lets a later key rotation or algorithm change coexist with old rows.
      if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('secret box: not a v1 sealed value');
      const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('secret box: malformed sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('secret box: the sealed value was tampered with or sealed under another key or context');
      }
    },
  };
}
