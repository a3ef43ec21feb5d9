// Loads a persistent 100k database per dialect for profiling: node --import tsx .rw/prep.mts sqlite|postgres N
import pg from 'pg';
import { load, addMoneyLeadsReviews } from '../bench/reports.bench.js';
const dialect = process.argv[2] as 'sqlite' | 'postgres';
const n = Number(process.argv[3] ?? 100000);
let url: string;
if (dialect === 'sqlite') { const fs = await import('node:fs'); fs.rmSync('/tmp/rw/db', { recursive: true, force: true }); fs.mkdirSync('/tmp/rw/db', { recursive: true }); url = 'sqlite:///tmp/rw/db/voronka.db'; }
else { const c = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await c.connect(); await c.query('drop database if exists rw_prof with (force)'); await c.query('create database rw_prof'); await c.end(); url = 'postgres://postgres@127.0.0.1:5432/rw_prof'; }
const { server, database } = await load(dialect, url, n, { paused: true });
await addMoneyLeadsReviews(server, dialect);
const rb = await server.ctx.services.reports.rebuild();
console.log('rebuild', Math.round(rb.ms), rb.rows);
await server.close(); await database.close();
