import S from 'better-sqlite3';
const d = new S('/tmp/rw/db/voronka.db', { readonly: true });
const t = (name, q) => { const st = d.prepare(q); st.all(); const xs = []; for (let i = 0; i < 15; i++) { const s = performance.now(); st.all(); xs.push(performance.now() - s); } xs.sort((a, b) => a - b); console.log(name.padEnd(20), xs[7].toFixed(1)); };
const W = "month between '2025-12' and '2026-11'";
t('sum', `select client_id, sum(amount) r from r_client_month where ${W} group by client_id`);
t('sum+float s2', `select client_id, sum(amount) r, sum(amount * 1.0 * amount) s2 from r_client_month where ${W} group by client_id`);
t('sum+int s2', `select client_id, sum(amount) r, sum((amount / 100) * (amount / 100)) s2 from r_client_month where ${W} group by client_id`);
t('sum+total s2', `select client_id, sum(amount) r, total(amount * 1.0 * amount) s2 from r_client_month where ${W} group by client_id`);
t('count', `select client_id, count(*) from r_client_month where ${W} group by client_id`);
