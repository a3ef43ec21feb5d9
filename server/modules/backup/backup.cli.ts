/**
 * `voronka backup` (the server may keep running) and `voronka restore FILE [--force] [--into URL]` (server stopped).
 */
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { ensureSecret, loadConfig } from '../../config.js';
import { createLogger, type Boot } from '../../platform/bootstrap.js';
import { AppError } from '../../platform/errors.js';
import type { BackupStage } from '../../../common/api/backups.js';
import { BackupFileError } from './errors.js';
import { restoreBackup } from './restore.js';

const stageNames: Record<BackupStage, string> = {
  database: 'снимок базы',
  files: 'файлы данных',
  archive: 'архив',
  upload: 'копирование',
  done: 'готово',
  failed: 'ошибка',
};

function size(bytes: number): string {
  const units = ['байт', 'КБ', 'МБ', 'ГБ', 'ТБ'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString('ru-RU', { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|д|да)$/i.test((await rl.question(`${question} [да/нет] `)).trim());
  } finally {
    rl.close();
  }
}

export function registerBackupCommands(program: Command, boot: Boot): void {
  program
    .command('backup')
    .description(
      'Создать резервную копию сейчас (сервер можно не останавливать): база, файлы данных, опись; шифруется, если задан VORONKA_BACKUP_PASSPHRASE; копируется во внешние хранилища',
    )
    .option('--no-upload', 'не отправлять во внешние хранилища (только локальная копия)')
    .action(async (opts: { upload: boolean }) => {
      const config = ensureSecret(loadConfig());
      const quiet = { ...config, logLevel: 'warn' };
      const server = await boot(quiet, { runJobs: false, logger: createLogger(quiet) });
      try {
        let lastLine = '';
        const row = await server.ctx.services.backup.createNow({
          onProgress: (stage, percent) => {
            const line = `${stageNames[stage]} ${Math.round(percent)} %`;
            if (line !== lastLine) process.stderr.write(`${(lastLine = line)}\n`);
          },
        });
        if (row.status !== 'done') {
          console.error(`Ошибка: резервная копия не создана: ${row.error}`);
          process.exitCode = 1;
          return;
        }
        const file = server.ctx.services.backup.filePath(row);
        console.log(
          `Резервная копия: ${file} (${size(Number(row.size))}${row.encrypted ? ', зашифрована' : ', НЕ зашифрована: задайте VORONKA_BACKUP_PASSPHRASE'})`,
        );
        if (opts.upload) {
          await server.ctx.services.backup.uploadNow(row.id, (label, error) =>
            console.log(error ? `  ${label}: не удалось (${error}); повторит работающий сервер` : `  ${label}: скопирована`),
          );
        }
      } catch (err) {
        if (err instanceof AppError) {
          console.error(`Ошибка: ${err.message}`);
          process.exitCode = 1;
        } else throw err;
      } finally {
        await server.close();
      }
    });

  program
    .command('restore')
    .description(
      'Восстановить из резервной копии (сервер должен быть остановлен): проверить файл, заменить базу и файлы данных; прежняя база сохраняется рядом',
    )
    .argument('<file>', 'файл копии (.vbk)')
    .option('--force', 'не спрашивать подтверждения перед заменой', false)
    .option('--into <url>', 'восстановить в другую базу: postgres://… (в том числе копию SQLite) или sqlite://…')
    .action(async (file: string, opts: { force: boolean; into?: string }) => {
      const config = ensureSecret(loadConfig());
      try {
        const result = await restoreBackup({
          file,
          config,
          into: opts.into,
          force: opts.force,
          confirm: ask,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        console.log(`Восстановлено в ${result.target}: копия от ${result.manifest.createdAt}, файлов данных ${result.files}`);
        if (result.previous) console.log(`Прежняя база сохранена: ${result.previous} (удалите её, когда убедитесь, что всё в порядке)`);
      } catch (err) {
        if (err instanceof BackupFileError) {
          console.error(`Ошибка: ${err.message}. Ничего не изменено.`);
          process.exitCode = 1;
        } else throw err;
      }
    });
}
