import { readFileSync } from 'node:fs';

/** The process's peak resident set (VmHWM) in bytes from /proc/self/status; null off Linux. */
export function peakRssFromProc(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples process.memoryUsage().rss every `everyMs` until stopped; keeps the peak and the samples. */
export function sampleRss(everyMs = 50): { stop(): { peak: number; samples: number[] } } {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage().rss);
      return { peak: Math.max(...samples), samples };
    },
  };
}

export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
