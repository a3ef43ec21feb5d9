/**
 * One import row → a record, through the owning module's service in the batch's transaction (same validation, same
 * scope as the API). Decisions (docs/API.md «Импорт»):
 * - clients: company or person from the «Тип» column, else from the ИНН (12 digits → person), else company; one contact
 *   per row from the contact columns; duplicates by ИНН, then phone, then e-mail (any owner). `update` fills the
 *   existing card with the row's non-empty values (phones and e-mails are added, the owner is never changed) and adds
 *   the row's contact if the card has none of that name; `create` creates anyway (the «force» of the API).
 * - products: duplicates by SKU, else by name; `update` sets name, price, unit and VAT from the row.
 * - deals: «Клиент» is found by ИНН, else by exact name (never created); duplicates are a deal of the same client with
 *   the same title; `update` leaves a found deal as it is (stage moves and amounts go through the card's rules), so it
 *   counts as skipped.
 * A record this import already created or updated (a repeated row of the file) is skipped, so an undo is exact.
 */
import type { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/connect.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { createClientBody, createContactBody, type Client, type PatchClientInput } from '../../../common/api/clients.js';
import { createProductBody, type PatchProductInput } from '../../../common/api/products.js';
import type { DedupeMode, ImportEntity } from '../../../common/api/imports.js';
import { importsRepo, type OutcomeUpdate } from './imports.repo.js';
import { parseImportMoney, parseKind, parseVatRate } from './parsers.js';

export interface RowContext {
  ctx: Ctx;
  importId: string;
  trx: Tx;
  actor: Actor;
  entity: ImportEntity;
  dedupe: DedupeMode;
  mapping: Record<string, number>;
  /** Per batch: users by name/e-mail, stages. */
  cache: Map<string, unknown>;
}

type Outcome = Omit<OutcomeUpdate, 'rowNo'>;

const fieldErr = (field: string, message: string) => new AppError('validation_failed', { fields: { [field]: message } });

/** The first zod issue as a row error on the import field it came from. */
function zodError(err: z.ZodError, fieldOf: (path: string) => string): AppError {
  const issue = err.issues[0];
  return fieldErr(fieldOf(issue.path.map(String).join('.')), issue.message);
}

const splitList = (s: string) =>
  s
    .split(/[;,\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function processRow(rc: RowContext, cells: string[]): Promise<Outcome> {
  const get = (field: string): string => {
    const i = rc.mapping[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  if (rc.entity === 'clients') return clientRow(rc, get);
  if (rc.entity === 'products') return productRow(rc, get);
  return dealRow(rc, get);
}

async function ownerIdOf(rc: RowContext, text: string): Promise<string | undefined> {
  if (!text) return undefined;
  let dir = rc.cache.get('users') as { id: string; name: string; email: string }[] | undefined;
  if (!dir) {
    dir = await rc.ctx.services.users.activeDirectory(rc.trx);
    rc.cache.set('users', dir);
  }
  const n = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
  const want = n(text);
  const user = dir.find((u) => n(u.email) === want) ?? dir.find((u) => n(u.name) === want);
  if (!user) throw fieldErr('owner', `Нет такого сотрудника: «${text}»`);
  return user.id;
}

async function alreadyHere(rc: RowContext, recordId: string): Promise<Outcome | null> {
  const row = await importsRepo.touchedBy(rc.trx, rc.importId, recordId);
  return row === null ? null : { outcome: 'skipped', recordId, message: `Повтор строки ${row} этого файла` };
}

// ── clients ──

async function clientRow(rc: RowContext, get: (f: string) => string): Promise<Outcome> {
  const s = rc.ctx.services.clients;
  const inn = get('inn').replace(/\s/g, '');
  const kind = parseKind(get('kind')) ?? (inn.length === 12 ? 'person' : 'company');
  const ownerId = await ownerIdOf(rc, get('owner'));
  const clientField = (p: string) => {
    const base = p.split('.')[0];
    return base === 'phones' ? 'phone' : base === 'emails' ? 'email' : base === 'ownerId' ? 'owner' : base;
  };
  const parsed = createClientBody.safeParse({
    kind,
    name: get('name'),
    inn: inn || undefined,
    kpp: get('kpp') || undefined,
    ogrn: get('ogrn').replace(/\s/g, '') || undefined,
    phones: splitList(get('phone')),
    emails: splitList(get('email')),
    region: get('region') || undefined,
    address: get('address') || undefined,
    source: get('source') || undefined,
    ownerId,
  });
  if (!parsed.success) throw zodError(parsed.error, clientField);
  const input = parsed.data;

  const contactRaw = { name: get('contactName'), position: get('contactPosition'), phone: get('contactPhone'), email: get('contactEmail') };
  let contact: z.infer<typeof createContactBody> | null = null;
  if (contactRaw.name || contactRaw.phone || contactRaw.email || contactRaw.position) {
    const c = createContactBody.safeParse({
      name: contactRaw.name || contactRaw.phone || contactRaw.email || 'Контакт',
      position: contactRaw.position || undefined,
      phones: splitList(contactRaw.phone),
      emails: splitList(contactRaw.email),
    });
    if (!c.success) {
      throw zodError(c.error, (p) => {
        const base = p.split('.')[0];
        return base === 'phones'
          ? 'contactPhone'
          : base === 'emails'
            ? 'contactEmail'
            : base === 'position'
              ? 'contactPosition'
              : 'contactName';
      });
    }
    contact = c.data;
  }

  if (rc.dedupe !== 'create') {
    const dup = await s.findDuplicateIn(rc.trx, { inn: input.inn, phones: input.phones ?? [], emails: input.emails ?? [] });
    if (dup) {
      const again = await alreadyHere(rc, dup.id);
      if (again) return again;
      if (rc.dedupe === 'skip') return { outcome: 'skipped', recordId: dup.id, message: `Уже есть: «${dup.name}»` };
      try {
        await s.getForActor(rc.actor, dup.id, 'write', rc.trx);
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== 'not_found' && err.code !== 'forbidden')) throw err;
        const key =
          input.inn && dup.inn === input.inn ? 'inn' : (input.phones ?? []).some((p) => dup.phones.includes(p)) ? 'phone' : 'email';
        throw fieldErr(key, 'Такой клиент уже есть у сотрудника вне ваших прав: обновить его нельзя');
      }
      return updateClient(rc, dup, input, contact);
    }
  }
  // The duplicate check is done above (under the same key lock, in this transaction): `force` spares the service
  // repeating it (importers are heads and admins, who may force).
  const client = await s.createIn(rc.trx, rc.actor, { ...input, force: true });
  let contactId: string | null = null;
  // A contact leaves the card's version as it is.
  if (contact) contactId = (await s.createContactIn(rc.trx, rc.actor, client.id, contact)).id;
  return { outcome: 'created', recordId: client.id, contactId, versionAfter: client.version };
}

async function updateClient(
  rc: RowContext,
  dup: Client,
  input: z.infer<typeof createClientBody>,
  contact: z.infer<typeof createContactBody> | null,
): Promise<Outcome> {
  const s = rc.ctx.services.clients;
  const patch: PatchClientInput = {} as PatchClientInput;
  const previous: Record<string, unknown> = {};
  const scalar = ['name', 'inn', 'kpp', 'ogrn', 'region', 'address', 'source'] as const;
  for (const k of scalar) {
    const v = input[k];
    if (v !== undefined && v !== null && v !== '' && v !== dup[k]) {
      (patch as Record<string, unknown>)[k] = v;
      previous[k] = dup[k];
    }
  }
  const phones = [...new Set([...dup.phones, ...(input.phones ?? [])])];
  if (phones.length !== dup.phones.length) {
    patch.phones = phones;
    previous.phones = dup.phones;
  }
  const emails = [...new Set([...dup.emails, ...(input.emails ?? [])])];
  if (emails.length !== dup.emails.length) {
    patch.emails = emails;
    previous.emails = dup.emails;
  }
  let contactId: string | null = null;
  if (contact) {
    const existing = await s.contactsIn(rc.trx, dup.id);
    const same = existing.some((c) => c.name.trim().toLowerCase() === contact.name.trim().toLowerCase());
    if (!same) contactId = (await s.createContactIn(rc.trx, rc.actor, dup.id, contact)).id;
  }
  if (Object.keys(previous).length === 0 && !contactId) {
    return { outcome: 'skipped', recordId: dup.id, message: `Совпадает с «${dup.name}», изменений нет` };
  }
  let version = dup.version;
  if (Object.keys(previous).length) {
    const updated = await s.updateIn(rc.trx, rc.actor, dup.id, { ...patch, force: true, version: dup.version });
    version = updated.version;
  } else {
    // Only a contact was added: the card itself is unchanged, but its write scope still applies.
    await s.getForActor(rc.actor, dup.id, 'write', rc.trx);
  }
  return { outcome: 'updated', recordId: dup.id, contactId, previous, versionAfter: version };
}

// ── products ──

async function productRow(rc: RowContext, get: (f: string) => string): Promise<Outcome> {
  const s = rc.ctx.services.products;
  const priceText = get('price');
  const price = priceText ? parseImportMoney(priceText) : undefined;
  if (priceText && price === null) throw fieldErr('price', `Не похоже на сумму: «${priceText}»`);
  const vatText = get('vatRate');
  const vatRate = 'vatRate' in rc.mapping ? parseVatRate(vatText) : undefined;
  if (vatText && vatRate === undefined) throw fieldErr('vatRate', `Ставка НДС: 0, 5, 7, 10, 20, 22 или «без НДС», а не «${vatText}»`);
  const sku = get('sku') || null;
  const name = get('name');
  const existing = rc.dedupe === 'create' ? null : await s.findForImport(rc.trx, { sku, name });
  if (existing) {
    const again = await alreadyHere(rc, existing.id);
    if (again) return again;
    if (rc.dedupe === 'skip') return { outcome: 'skipped', recordId: existing.id, message: `Уже есть: «${existing.name}»` };
    const patch: PatchProductInput = {};
    const previous: Record<string, unknown> = {};
    if (name && name !== existing.name) {
      patch.name = name;
      previous.name = existing.name;
    }
    if (price !== undefined && price !== null && price !== existing.price) {
      patch.price = price;
      previous.price = existing.price;
    }
    const unit = get('unit');
    if (unit && unit !== existing.unit) {
      patch.unit = unit;
      previous.unit = existing.unit;
    }
    if (vatRate !== undefined && vatRate !== existing.vatRate) {
      patch.vatRate = vatRate;
      previous.vatRate = existing.vatRate;
    }
    if (Object.keys(previous).length === 0) return { outcome: 'skipped', recordId: existing.id, message: 'Изменений нет' };
    const updated = await s.update(rc.actor, existing.id, { ...patch, version: existing.version }, rc.trx);
    return { outcome: 'updated', recordId: existing.id, previous, versionAfter: updated.version };
  }
  const parsed = createProductBody.safeParse({
    sku,
    name,
    price: price ?? undefined,
    unit: get('unit') || undefined,
    vatRate,
  });
  if (!parsed.success) throw zodError(parsed.error, (p) => p.split('.')[0]);
  const product = await s.create(rc.actor, parsed.data, rc.trx);
  return { outcome: 'created', recordId: product.id, versionAfter: product.version };
}

// ── deals ──

async function dealRow(rc: RowContext, get: (f: string) => string): Promise<Outcome> {
  const title = get('title');
  if (!title) throw fieldErr('title', 'Обязательное поле');
  const clientText = get('client');
  if (!clientText) throw fieldErr('client', 'Укажите клиента (ИНН или название)');
  const clients = rc.ctx.services.clients;
  const digits = clientText.replace(/\s/g, '');
  const client = /^\d{10}$|^\d{12}$/.test(digits)
    ? await clients.findDuplicateIn(rc.trx, { inn: digits, phones: [], emails: [] })
    : await clients.findByNameIn(rc.trx, clientText);
  if (!client) throw fieldErr('client', `Клиент не найден: «${clientText}»`);
  const amountText = get('amount');
  const amount = amountText ? parseImportMoney(amountText) : undefined;
  if (amountText && (amount === null || (amount as number) < 0)) throw fieldErr('amount', `Не похоже на сумму: «${amountText}»`);
  let stageId: string | undefined;
  const stageText = get('stage');
  if (stageText) {
    let pipeline = rc.cache.get('pipeline') as Awaited<ReturnType<typeof rc.ctx.services.pipelines.getDefault>> | undefined;
    if (!pipeline) {
      pipeline = await rc.ctx.services.pipelines.getDefault(rc.trx);
      rc.cache.set('pipeline', pipeline);
    }
    const n = (x: string) => x.trim().toLowerCase().replace(/ё/g, 'е');
    const stage = pipeline.stages.find((st) => n(st.name) === n(stageText) || n(st.code) === n(stageText));
    if (!stage) throw fieldErr('stage', `Нет такого этапа: «${stageText}»`);
    stageId = stage.id;
  }
  const ownerId = await ownerIdOf(rc, get('owner'));
  const deals = rc.ctx.services.deals;
  if (rc.dedupe !== 'create') {
    const dup = await deals.findForImport(rc.trx, client.id, title);
    if (dup) {
      const again = await alreadyHere(rc, dup.id);
      if (again) return again;
      return { outcome: 'skipped', recordId: dup.id, message: `У клиента уже есть сделка «${dup.title}»` };
    }
  }
  const deal = await deals.createIn(rc.trx, rc.actor, {
    clientId: client.id,
    title,
    stageId,
    ownerId,
    source: get('source') || undefined,
    amount: amount ?? undefined,
  });
  return { outcome: 'created', recordId: deal.id, versionAfter: deal.version };
}
