import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * PGlite has no lock of its own: two processes opening the same directory corrupt it. The first
 * process to open a data directory writes its pid next to it (removed on close or exit);
 * another live process is refused with a clear message, and a lock left by a dead process is
 * taken over.
 */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder === process.pid) return () => undefined;
      if (isAlive(holder)) {
        // eslint-disable-next-line preserve-caught-error -- the EEXIST is expected, not the cause: the live holder is
        throw new Error(`the embedded database in ${dataDir} is in use by process ${holder} (is \`npm start\` running?); stop it first, or use the HTTP API`);
      }
      unlinkSync(file);
    }
  }
  throw new Error(`could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
