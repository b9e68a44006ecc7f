import { readFileSync } from 'node:fs';

interface CpuSnapshot {
  /** Machine-wide jiffies from /proc/stat, or null where it is not available (non-Linux). */
  machine: { busy: number; total: number } | null;
  /** This process's CPU time. */
  process: NodeJS.CpuUsage;
  at: bigint;
}

function readProcStat(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is inside user.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  return { machine: readProcStat(), process: process.cpuUsage(), at: process.hrtime.bigint() };
}

/**
 * Between two snapshots: how busy the whole machine was (all cores, 100% = every core busy) and
 * how many cores' worth of CPU this benchmark process used (client side: knex, pg, use cases).
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): { machineBusyPct: number | null; benchCores: number } {
  const wallUs = Number(b.at - a.at) / 1000;
  const used = b.process.user - a.process.user + (b.process.system - a.process.system);
  const machineBusyPct =
    a.machine && b.machine && b.machine.total > a.machine.total ? (100 * (b.machine.busy - a.machine.busy)) / (b.machine.total - a.machine.total) : null;
  return { machineBusyPct, benchCores: wallUs > 0 ? used / wallUs : 0 };
}
