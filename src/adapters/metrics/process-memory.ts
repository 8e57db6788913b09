// process_resident_memory_bytes on every runtime. On Linux prom-client reads it (with the virtual
// size and heap) from /proc/self/status at each scrape and leaves all three at 0 when that read
// fails: on Deno without --allow-all ("Requires all access to /proc/self/status"), which is how an
// edge host runs it, and on hosts without /proc. There the runtime's own figure stands in:
// process.memoryUsage().rss (Deno implements it, as Deno.memoryUsage().rss, with no permission), the
// resident set size that libuv reads from the same /proc file where it can.
import { readFileSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

/** The gauges prom-client fills from /proc/self/status alone (osMemoryHeapLinux.js). */
const FROM_PROC_STATUS = [
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
];

const procStatusReadable = (): boolean => {
  try {
    return readFileSync('/proc/self/status', 'utf8').includes('VmRSS');
  } catch {
    return false;
  }
};

/**
 * Where prom-client's Linux gauges would read 0 (its /proc read fails), replaces them by one
 * resident-memory gauge from the runtime. Call after collectDefaultMetrics.
 */
export function residentMemoryFallback(registry: Registry): void {
  const linux = registry.getSingleMetric('process_virtual_memory_bytes') !== undefined;
  if (!linux || procStatusReadable()) return;
  for (const name of FROM_PROC_STATUS) registry.removeSingleMetric(name);
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers: [registry],
    collect() {
      const rss = process.memoryUsage().rss;
      if (Number.isFinite(rss) && rss > 0) this.set(rss);
    },
  });
}
