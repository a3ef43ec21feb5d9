import fs from 'node:fs';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { contentDisposition } from '../../platform/xlsx.js';
import { idParams } from '../../../common/api/shared.js';
import { backupCreatedResponse, backupListQuery, backupListResponse } from '../../../common/api/backups.js';

const tags = ['Резервные копии'];

export function backupRoutes(app: App, ctx: Ctx) {
  const backup = ctx.services.backup;
  app.get(
    '/backups',
    {
      schema: {
        tags,
        summary: 'Резервные копии (администратор, собственник): список с копиями во внешних хранилищах и сводка защиты',
        querystring: backupListQuery,
        response: { 200: backupListResponse },
      },
    },
    async (req) => backup.list(actorOf(req), req.query),
  );
  app.post(
    '/backups',
    {
      schema: {
        tags,
        summary: 'Создать резервную копию сейчас (администратор): 202 и ход работы живыми событиями backup.progress',
        response: { 202: backupCreatedResponse },
      },
    },
    async (req, reply) => reply.code(202).send(await backup.start(actorOf(req), 'manual')),
  );
  app.get(
    '/backups/:id/download',
    { schema: { tags, summary: 'Скачать файл резервной копии (администратор; записывается в журнал)', params: idParams } },
    async (req, reply) => {
      const file = await backup.download(actorOf(req), req.params.id);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition('attachment', file.fileName, file.fileName))
        .send(fs.createReadStream(file.path));
    },
  );
}
