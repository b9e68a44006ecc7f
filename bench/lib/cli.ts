/**
 * The command-line plumbing every benchmark and drill shares: integer options (a flag, else an
 * environment variable, else the default) checked against a range, and one way to run `main`
 * and turn its result into the exit code.
 */

/** `raw` as an integer in `min..max`, or `fallback` when it is absent or empty; throws naming `name`. */
export function intOption(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return n;
}

/**
 * Runs `main`: a number it returns becomes the exit code (0 passed, 1 a check failed); a thrown
 * error is printed with its stack under `name` and exits 1.
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`${name} failed:`, err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
