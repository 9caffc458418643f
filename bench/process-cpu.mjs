// CPU time from /proc: a process's, for the benchmarks' "API CPU µs an answer", and the machine's steal.
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) the process has used so far; null when it cannot be read. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** The machine's CPU time so far, in clock ticks: all of it, and what the hypervisor gave to other guests (steal). */
export function machineTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0), steal: fields[7] };
  } catch {
    return null;
  }
}

/** The share of CPU time stolen between two machineTicks() readings, as a percentage text ('?' when unreadable). */
export function stealBetween(before, after) {
  if (!before || !after || after.total === before.total) return '?';
  return `${((100 * (after.steal - before.steal)) / (after.total - before.total)).toFixed(0)} %`;
}
