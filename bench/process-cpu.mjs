// CPU time of a process from /proc, for the benchmarks' "API CPU µs an answer".
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
