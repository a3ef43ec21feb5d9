import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { contentDisposition, XLSX_CONTENT_TYPE } from '../../platform/xlsx.js';
import { idParams } from '../../../common/api/shared.js';
import {
  dedupeSchema,
  IMPORT_MAX_BYTES,
  importCreatedSchema,
  importEntitySchema,
  importListQuery,
  importMappingSchema,
  importPage,
  importPreviewSchema,
  importSchema,
  type ImportMapping,
} from '../../../common/api/imports.js';

interface Upload {
  file: string | null;
  fileName: string;
  fields: Record<string, string>;
}

const notMultipart = () =>
  new AppError('unsupported_media_type', {
    message: 'Отправьте файл XLSX или CSV формой multipart/form-data (поле file)',
    messageEn: 'Send an XLSX or CSV file as multipart/form-data (field file)',
  });

/** Saves the `file` part to a temp file under the data dir (streamed; over IMPORT_MAX_BYTES → 413) and keeps the text fields. */
async function receive(req: FastifyRequest, tempFile: () => Promise<string>): Promise<Upload> {
  if (!req.isMultipart()) throw notMultipart();
  const up: Upload = { file: null, fileName: '', fields: {} };
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || up.file) {
          part.file.resume();
          continue;
        }
        up.file = await tempFile();
        up.fileName = [...(part.filename ?? '')]
          .filter((ch) => ch >= ' ')
          .join('')
          .slice(0, 300);
        await pipeline(part.file, fs.createWriteStream(up.file));
        if ((part.file as { truncated?: boolean }).truncated) throw new AppError('payload_too_large');
      } else {
        up.fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value ?? '');
      }
    }
  } catch (err) {
    await discard(up);
    if ((err as { statusCode?: number }).statusCode === 413 || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', {
        message: `Файл больше ${IMPORT_MAX_BYTES / 1024 / 1024} МБ: разбейте его на части`,
        messageEn: `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split it`,
      });
    }
    throw err;
  }
  if (!up.file) throw new AppError('validation_failed', { fields: { file: 'Приложите файл XLSX или CSV' } });
  return up;
}

async function discard(up: Upload) {
  if (up.file) await fs.promises.rm(up.file, { force: true });
}

function field<T>(schema: z.ZodType<T>, name: string, value: string | undefined): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('validation_failed', { fields: { [name]: r.error.issues[0]?.message ?? 'Неверное значение' } });
  return r.data;
}

function mappingOf(text: string | undefined): ImportMapping | 'auto' {
  if (text === undefined || text.trim() === '' || text.trim() === 'auto') return 'auto';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', { fields: { mapping: 'Сопоставление: JSON вида {"name": 0, "inn": "ИНН"} или auto' } });
  }
  const r = importMappingSchema.safeParse(json);
  if (!r.success)
    throw new AppError('validation_failed', { fields: { mapping: 'Сопоставление: поле → номер столбца (с 0) или его заголовок' } });
  return r.data;
}

const multipartBody = { description: 'multipart/form-data: file (XLSX или CSV, до 50 МБ), entity, mapping (JSON), dedupe' };

export async function importsRoutes(app: App, ctx: Ctx) {
  const imports = ctx.services.imports;
  const tags = ['Импорт'];

  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 200_000, parts: 12 },
      throwFileSizeLimit: true,
    });
    const s = scope as unknown as App;

    s.post(
      '/imports/preview',
      {
        schema: {
          tags,
          summary: 'Предпросмотр файла импорта: столбцы с догадками о полях, первые 10 строк, кодировка и разделитель',
          description: multipartBody.description,
          response: { 200: importPreviewSchema },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        imports.assertMayImport(actor);
        const up = await receive(req, () => imports.tempFile());
        try {
          const entity = field(importEntitySchema, 'entity', up.fields.entity ?? 'clients');
          return await imports.preview(actor, up.file!, entity);
        } finally {
          await discard(up);
        }
      },
    );

    s.post(
      '/imports',
      {
        schema: {
          tags,
          summary: 'Импорт клиентов, сделок или товаров из XLSX/CSV (администратор, руководитель): 202 и id, обработка в фоне',
          description: multipartBody.description,
          response: { 202: importCreatedSchema },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        imports.assertMayImport(actor);
        const up = await receive(req, () => imports.tempFile());
        try {
          const entity = field(importEntitySchema, 'entity', up.fields.entity);
          const dedupe = field(dedupeSchema, 'dedupe', up.fields.dedupe ?? 'skip');
          const mapping = mappingOf(up.fields.mapping);
          const res = await imports.start(actor, { file: up.file!, fileName: up.fileName, entity, mapping, dedupe });
          return reply.code(202).send(res);
        } finally {
          await discard(up);
        }
      },
    );
  });

  app.get(
    '/imports',
    {
      schema: {
        tags,
        summary: 'Мои импорты (администратор видит все), новые сверху',
        querystring: importListQuery,
        response: { 200: importPage },
      },
    },
    async (req) => imports.list(actorOf(req), req.query),
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags,
        summary: 'Состояние импорта: статус, счётчики, ошибки строк (первые 1000)',
        params: idParams,
        response: { 200: importSchema },
      },
    },
    async (req) => imports.get(actorOf(req), req.params.id),
  );

  app.get(
    '/imports/:id/report',
    { schema: { tags, summary: 'Отчёт об импорте (XLSX): результат каждой строки с сообщением', params: idParams } },
    async (req, reply) => {
      const { stream, fileName } = await imports.report(actorOf(req), req.params.id);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', contentDisposition('attachment', fileName, `import-${req.params.id}.xlsx`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.post(
    '/imports/:id/undo',
    {
      schema: {
        tags,
        summary: 'Отменить импорт: удалить созданное, вернуть прежние значения обновлённого (409, если записи изменили после)',
        params: idParams,
        response: { 200: importSchema },
      },
    },
    async (req) => imports.undo(actorOf(req), req.params.id),
  );
}
