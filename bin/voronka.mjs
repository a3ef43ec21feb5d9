#!/usr/bin/env node
// The `voronka` command: runs the built server bundle (npm run build makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const bundle = fileURLToPath(new URL('../dist/voronka.js', import.meta.url));
if (!existsSync(bundle)) {
  console.error('Воронка не собрана: выполните npm run build (или npm start)');
  process.exit(1);
}
process.argv[1] = bundle;
await import(bundle);
