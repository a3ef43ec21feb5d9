/**
 * `npm run bench [name…]`: runs the benchmarks and prints figures and ratios (never asserts timings).
 * Each bench is a module in bench/ exporting `run(): Promise<void>`; add new ones to the list below.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  platform: () => import('./platform.bench.js'),
  leads: () => import('./leads.bench.js'),
  invoices: () => import('./invoices.bench.js'),
  reports: () => import('./reports.bench.js'),
  demo: () => import('./demo.bench.js'),
  imports: () => import('./imports.bench.js'),
  backup: () => import('./backup.bench.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, load] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  await (await load()).run();
}

export {};
