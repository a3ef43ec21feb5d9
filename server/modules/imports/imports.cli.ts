import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger, type Boot } from '../../platform/bootstrap.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import {
  dedupeModes,
  importEntities,
  importMappingSchema,
  type DedupeMode,
  type ImportEntity,
  type ImportMapping,
} from '../../../common/api/imports.js';

const nf = (n: number) => n.toLocaleString('ru-RU');

/**
 * `voronka import FILE --entity clients [--mapping JSON|auto] [--dedupe skip|update|create] [--user EMAIL]`: the same
 * import as the web page (same rules, same report and undo there), run here in the foreground with progress on stderr.
 */
export function importCommand(program: Command, boot: Boot): void {
  program
    .command('import')
    .description('Загрузить клиентов, сделки или товары из файла XLSX или CSV (UTF-8 или windows-1251, «;» или «,»)')
    .argument('<file>', 'файл XLSX или CSV; первая строка — заголовки столбцов')
    .requiredOption('--entity <entity>', `что загружаем: ${importEntities.join(', ')}`)
    .option('--mapping <json>', 'сопоставление поле → столбец: JSON вида {"name":"Название","inn":2} или auto (по заголовкам)', 'auto')
    .option('--dedupe <mode>', 'дубликаты: skip — пропустить, update — дополнить запись, create — создать всё равно', 'skip')
    .option('--user <email>', 'от чьего имени (администратор или руководитель; по умолчанию первый администратор)')
    .action(async (file: string, opts: { entity: string; mapping: string; dedupe: string; user?: string }) => {
      const fail = (msg: string): never => {
        console.error(msg);
        process.exit(1);
      };
      if (!(importEntities as readonly string[]).includes(opts.entity)) fail(`--entity: одно из ${importEntities.join(', ')}`);
      if (!(dedupeModes as readonly string[]).includes(opts.dedupe)) fail(`--dedupe: одно из ${dedupeModes.join(', ')}`);
      let mapping: ImportMapping | 'auto' = 'auto';
      if (opts.mapping !== 'auto') {
        let json: unknown = null;
        try {
          json = JSON.parse(opts.mapping);
        } catch {
          fail('--mapping: не JSON');
        }
        const r = importMappingSchema.safeParse(json);
        if (!r.success) fail('--mapping: ожидается {"поле": номер столбца с 0 или заголовок}');
        else mapping = r.data;
      }
      if (!fs.existsSync(file)) fail(`Нет файла ${file}`);
      const config = loadConfig();
      const quiet = { ...config, logLevel: 'warn' };
      const server = await boot(quiet, { runJobs: false, logger: createLogger(quiet) });
      try {
        const users = await server.ctx.services.users.activeDirectory();
        const wanted = opts.user?.toLowerCase();
        let actor: Actor | null = null;
        for (const u of users) {
          const full = await server.ctx.services.users.findActive(u.id);
          if (!full) continue;
          if (wanted ? full.email.toLowerCase() === wanted : full.role === 'admin') {
            actor = { id: full.id, email: full.email, name: full.name, role: full.role, departmentId: full.departmentId };
            break;
          }
        }
        if (!actor) fail(wanted ? `Нет активного пользователя ${opts.user}` : 'Нет ни одного администратора: укажите --user');
        const imports = server.ctx.services.imports;
        // The upload path of the server: a private copy under the data dir, read as a stream.
        const tmp = await imports.tempFile();
        await fs.promises.copyFile(file, tmp);
        let id: string;
        try {
          ({ id } = await imports.start(actor!, {
            file: tmp,
            fileName: path.basename(file),
            entity: opts.entity as ImportEntity,
            mapping,
            dedupe: opts.dedupe as DedupeMode,
          }));
        } finally {
          await fs.promises.rm(tmp, { force: true });
        }
        const started = Date.now();
        for (;;) {
          const ran = await server.ctx.jobs.runDue();
          const imp = await imports.get(actor!, id);
          const pct = imp.total ? Math.floor((imp.processed / imp.total) * 100) : 100;
          process.stderr.write(
            `${process.stderr.isTTY ? '\r' : ''}${String(pct).padStart(3)} % · ${nf(imp.processed)} из ${nf(imp.total)} строк${process.stderr.isTTY ? '\x1b[K' : '\n'}`,
          );
          if (imp.status !== 'queued' && imp.status !== 'running') {
            if (process.stderr.isTTY) process.stderr.write('\n');
            const sec = (Date.now() - started) / 1000;
            console.log(
              `Импорт ${id}: ${imp.status === 'done' ? 'готово' : imp.status} за ${sec.toFixed(1)} с — создано ${nf(imp.created)}, ` +
                `обновлено ${nf(imp.updated)}, пропущено ${nf(imp.skipped)}, ошибок ${nf(imp.errorCount)}`,
            );
            for (const e of imp.errors.slice(0, 20)) console.log(`  строка ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
            if (imp.errorCount > 20) console.log(`  … и ещё ${nf(imp.errorCount - 20)}: полный отчёт — GET /api/imports/${id}/report`);
            if (imp.failure) console.log(`  ${imp.failure}`);
            break;
          }
          if (ran === 0) await new Promise((r) => setTimeout(r, 50)); // a retried batch waits for its backoff
        }
      } catch (err) {
        if (err instanceof AppError) {
          const fields = Object.entries(err.fields ?? {}).map(([k, v]) => `  ${k}: ${v}`);
          fail([err.customMessage?.ru ?? err.message, ...fields].join('\n'));
        }
        throw err;
      } finally {
        await server.close();
      }
    });
}
