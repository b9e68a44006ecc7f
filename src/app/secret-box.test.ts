import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

const key = randomBytes(32).toString('base64');

describe('secret box', () => {
  it('round-trips text, with a fresh IV every time', () => {
    const box = createSecretBox(key);
    const a = box.seal('pat-na1-ünïcode-token', 'ctx');
    const b = box.seal('pat-na1-ünïcode-token', 'ctx');
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(box.open(a, 'ctx')).toBe('pat-na1-ünïcode-token');
    expect(box.open(box.seal(''), '')).toBe('');
  });

  it('throws on any tampering, another context or another key', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('token', 'ctx');
    const parts = sealed.split('.');
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0]! ^= 1;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.open(tampered, 'ctx')).toThrow();
    }
    expect(() => box.open(sealed, 'other')).toThrow(/tampered/);
    expect(() => createSecretBox(randomBytes(32).toString('base64')).open(sealed, 'ctx')).toThrow(/tampered/);
    expect(() => box.open(`v2.${parts.slice(1).join('.')}`, 'ctx')).toThrow(/not a v1/);
    expect(() => box.open('v1.AAAA.BBBB', 'ctx')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
