import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, fieldError, forbidden, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertAbility, assertCan, can, hasAbility, scopeOf, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { validateAccount, validateCorrAccount } from '../../../common/requisites.js';
import type {
  Client,
  ClientListQuery,
  Contact,
  ContactHit,
  CreateClientInput,
  CreateContactInput,
  PatchClientInput,
  PatchContactInput,
} from '../../../common/api/clients.js';
import type { TimelineEntry } from '../../../common/api/timeline.js';
import { clientsRepo, parseList, toClient, toContact, type ClientRow } from './clients.repo.js';
import { parseSearchQuery } from './search-text.js';

declare module '../../platform/context.js' {
  interface Services {
    clients: ClientsService;
  }
}

/** What another module may add to the global search (the deals module, when present). */
export interface SearchResult {
  clients: Client[];
  contacts: ContactHit[];
  deals: unknown[];
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const nowIso = () => new Date().toISOString();
const json = (xs: string[]) => JSON.stringify(xs);

const dupLabels = {
  inn: { ru: 'ИНН', en: 'tax number (INN)' },
  phone: { ru: 'телефоном', en: 'phone' },
  email: { ru: 'e-mail', en: 'e-mail' },
} as const;

/**
 * Client cards: requisites, phones, e-mails, owner, refusal («отказ»), duplicates, merge and reassignment.
 * Scope (DESIGN §6): manager — own clients; head — his department; owner/admin — all; accountant — read only;
 * production — none.
 *
 * Why one file over 500 lines: one client card's rules (requisites checks, duplicate keys, merge, reassignment) share
 * the scope checks and the derived search text; SQL is in clients.repo.ts, search text in search-text.ts.
 */
export class ClientsService {
  constructor(private ctx: Ctx) {}

  private get dialect() {
    return this.ctx.database.dialect;
  }

  // ── access ──

  /**
   * The client if the actor may read (or change) it, else 404; a role that may read but never write gets 403 for 'write'.
   * Used by deals, tasks and others to check access to a client.
   */
  async getForActor(actor: Actor, id: string, action: 'read' | 'write', exec: Executor = this.ctx.db): Promise<Client> {
    return toClient(await this.rowForActor(actor, id, action, exec));
  }

  private async rowForActor(actor: Actor, id: string, action: 'read' | 'write', exec: Executor = this.ctx.db): Promise<ClientRow> {
    if (action === 'write' && !can(actor, 'client', 'write')) {
      if (can(actor, 'client', 'read') && (await clientsRepo.findInScope(exec, actor, id, 'read'))) throw forbidden();
      throw notFound();
    }
    const row = await clientsRepo.findInScope(exec, actor, id, action);
    if (!row) throw notFound();
    return row;
  }

  /** Sets the client's «негативный отзыв» flag (reviews module, in its transaction). */
  async markNegativeFeedback(exec: Executor, clientId: string): Promise<void> {
    await clientsRepo.update(exec, clientId, { negative_feedback: 1 });
  }

  /** May the actor make `ownerId` responsible for a client? Throws 400 on ownerId otherwise. */
  private async assertOwnerAllowed(actor: Actor, ownerId: string, exec: Executor = this.ctx.db) {
    const user = await exec.selectFrom('users').select(['id', 'department_id', 'active']).where('id', '=', ownerId).executeTakeFirst();
    if (!user || user.active !== 1) throw fieldError('ownerId', 'Такого активного пользователя нет');
    const scope = scopeOf(actor, 'client', 'write');
    if (scope === 'own' && ownerId !== actor.id) throw fieldError('ownerId', 'Менеджер может назначить ответственным только себя');
    if (scope === 'department' && ownerId !== actor.id && user.department_id !== actor.departmentId) {
      throw fieldError('ownerId', 'Можно назначить только сотрудника своего отдела');
    }
  }

  // ── read ──

  async list(actor: Actor, q: ClientListQuery): Promise<Page<Client>> {
    assertCan(actor, 'client', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const query = q.q ? parseSearchQuery(q.q) : undefined;
    const rows = await clientsRepo.list(this.ctx.db, this.dialect, actor, {
      status: q.status,
      ownerId: q.ownerId,
      region: q.region,
      query,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
      limit: q.limit,
    });
    return toPage(rows, q.limit, toClient, (r) => encodeCursor(r.created_at, r.id));
  }

  async counts(actor: Actor, f: { ownerId?: string; region?: string }) {
    assertCan(actor, 'client', 'read');
    return clientsRepo.counts(this.ctx.db, actor, f);
  }

  /** id → name of the given clients, without a permission check (exports of rows the caller already reads). */
  async names(ids: Iterable<string | null | undefined>, exec: Executor = this.ctx.db): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
    return new Map((await clientsRepo.names(exec, wanted)).map((r) => [r.id, r.name]));
  }

  async get(actor: Actor, id: string): Promise<Client> {
    return this.getForActor(actor, id, 'read');
  }

  /** Global search: clients, contacts (in the actor's client scope) and deals (from the deals module, if any). */
  async search(actor: Actor, q: string, limit: number): Promise<SearchResult> {
    const query = parseSearchQuery(q);
    if (query.length === 0) return { clients: [], contacts: [], deals: [] };
    let clients: Client[] = [];
    let contacts: ContactHit[] = [];
    if (can(actor, 'client', 'read')) {
      clients = (await clientsRepo.searchClients(this.ctx.db, this.dialect, actor, query, limit)).map(toClient);
      contacts = (await clientsRepo.searchContacts(this.ctx.db, this.dialect, actor, query, limit)).map((r) => ({
        id: r.id,
        name: r.name,
        position: r.position,
        clientId: r.client_id,
        clientName: r.client_name,
        phones: parseList(r.phones),
        emails: parseList(r.emails),
      }));
    }
    const dealHits = await this.ctx.services.deals.search(actor, q, limit);
    return { clients, contacts, deals: dealHits };
  }

  // ── write ──

  /** Bank account and corr. account keyed against the BIK; the account needs a BIK. */
  private checkBank(v: { bik: string | null; account: string | null; corrAccount: string | null }) {
    const fields: Record<string, string> = {};
    if (v.account) {
      if (!v.bik) fields.bik = 'Укажите БИК банка для расчётного счёта';
      else {
        const m = validateAccount(v.bik, v.account);
        if (m) fields.account = m;
      }
    }
    if (v.corrAccount) {
      if (!v.bik) fields.bik = 'Укажите БИК банка для корр. счёта';
      else {
        const m = validateCorrAccount(v.bik, v.corrAccount);
        if (m) fields.corrAccount = m;
      }
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
  }

  /** Serialises duplicate checks with inserts (PostgreSQL; SQLite writes one at a time anyway). */
  private async lockKeys(trx: Tx) {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('voronka.client_keys'))`.execute(trx);
  }

  private async assertNoDuplicate(
    trx: Tx,
    actor: Actor,
    keys: { inn?: string | null; phones: string[]; emails: string[] },
    force: boolean | undefined,
    excludeId: string | undefined,
    /** The phones and e-mails as sent, to name the matching field (`phones.N`) of the request. */
    sent: { phones?: string[]; emails?: string[] },
  ) {
    if (force && hasAbility(actor, 'client.manage')) return;
    const dup = await clientsRepo.findDuplicate(trx, keys, excludeId);
    if (!dup) return;
    const label = dupLabels[dup.kind];
    const field =
      dup.kind === 'inn'
        ? 'inn'
        : dup.kind === 'phone'
          ? `phones.${(sent.phones ?? []).indexOf(dup.value)}`
          : `emails.${(sent.emails ?? []).indexOf(dup.value)}`;
    const owner = { ownerId: dup.ownerId, ownerName: dup.ownerName };
    // The client itself (id, name) only to whoever may open it; anyone else learns that it exists and whose it is,
    // so that he can ask that colleague (or the head).
    if (await clientsRepo.findInScope(trx, actor, dup.id, 'read')) {
      throw new AppError('duplicate_client', {
        message: `Клиент с таким ${label.ru} уже есть: ${dup.name}`,
        messageEn: `A client with this ${label.en} already exists: ${dup.name}`,
        fields: { [field]: `Уже есть у клиента «${dup.name}»` },
        details: { existingId: dup.id, existingName: dup.name, field: dup.kind, ...owner },
      });
    }
    const whose = dup.ownerName ? `у сотрудника ${dup.ownerName}` : 'без ответственного';
    const whoseEn = dup.ownerName ? `owned by ${dup.ownerName}` : 'without an owner';
    throw new AppError('duplicate_client', {
      message: `Клиент с таким ${label.ru} уже есть ${whose}`,
      messageEn: `A client with this ${label.en} already exists, ${whoseEn}`,
      fields: { [field]: `Уже есть у клиента ${dup.ownerName ? `сотрудника ${dup.ownerName}` : 'без ответственного'}` },
      details: { field: dup.kind, ...owner },
    });
  }

  async create(actor: Actor, input: CreateClientInput): Promise<Client> {
    const row = await this.ctx.db.transaction().execute((trx) => this.createRow(trx, actor, input));
    this.emitChanged(row);
    return toClient(row);
  }

  /** `create` inside the caller's transaction (imports: one savepoint per row); no live event. */
  async createIn(trx: Tx, actor: Actor, input: CreateClientInput): Promise<Client> {
    return toClient(await this.createRow(trx, actor, input));
  }

  private async createRow(trx: Tx, actor: Actor, input: CreateClientInput): Promise<ClientRow> {
    assertCan(actor, 'client', 'write');
    const ownerId = input.ownerId ?? actor.id;
    await this.assertOwnerAllowed(actor, ownerId, trx);
    const v = {
      bik: input.bik ?? null,
      account: input.account ?? null,
      corrAccount: input.corrAccount ?? null,
    };
    this.checkBank(v);
    const phones = uniq(input.phones ?? []);
    const emails = uniq(input.emails ?? []);
    const now = nowIso();
    {
      await this.lockKeys(trx);
      await this.assertNoDuplicate(trx, actor, { inn: input.inn, phones, emails }, input.force, undefined, input);
      const inserted = await clientsRepo.insert(trx, {
        id: newId(),
        kind: input.kind,
        name: input.name,
        legal_name: input.legalName ?? null,
        inn: input.inn ?? null,
        kpp: input.kpp ?? null,
        ogrn: input.ogrn ?? null,
        bik: v.bik,
        account: v.account,
        corr_account: v.corrAccount,
        bank_name: input.bankName ?? null,
        phones: json(phones),
        emails: json(emails),
        region: input.region ?? null,
        address: input.address ?? null,
        source: input.source ?? null,
        tags: json(uniq(input.tags ?? [])),
        owner_id: ownerId,
        status: 'active',
        refusal_reason_id: null,
        refusal_comment: null,
        negative_feedback: 0,
        search_text: '',
        search_rowid: null,
        created_at: now,
        updated_at: now,
      });
      await clientsRepo.refreshDerived(trx, this.dialect, inserted.id);
      return (await clientsRepo.findById(trx, inserted.id))!;
    }
  }

  async update(actor: Actor, id: string, patch: PatchClientInput): Promise<Client> {
    const current = await this.rowForActor(actor, id, 'write');
    const row = await this.ctx.db.transaction().execute((trx) => this.updateRow(trx, actor, current, patch));
    this.emitChanged(row, current.owner_id);
    return toClient(row);
  }

  /** `update` inside the caller's transaction (imports); no live event. */
  async updateIn(trx: Tx, actor: Actor, id: string, patch: PatchClientInput): Promise<Client> {
    const current = await this.rowForActor(actor, id, 'write', trx);
    return toClient(await this.updateRow(trx, actor, current, patch));
  }

  private async updateRow(trx: Tx, actor: Actor, current: ClientRow, patch: PatchClientInput): Promise<ClientRow> {
    const id = current.id;
    const ownerChange = patch.ownerId !== undefined && patch.ownerId !== current.owner_id;
    if (ownerChange) {
      assertAbility(actor, 'client.manage');
      await this.assertOwnerAllowed(actor, patch.ownerId!, trx);
    }
    const pick = <T>(v: T | undefined, cur: T): T => (v === undefined ? cur : v);
    const bank = {
      bik: pick(patch.bik, current.bik),
      account: pick(patch.account, current.account),
      corrAccount: pick(patch.corrAccount, current.corr_account),
    };
    if (patch.bik !== undefined || patch.account !== undefined || patch.corrAccount !== undefined) this.checkBank(bank);

    const set: Parameters<typeof clientsRepo.update>[2] = {};
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.legalName !== undefined) set.legal_name = patch.legalName;
    if (patch.inn !== undefined) set.inn = patch.inn;
    if (patch.kpp !== undefined) set.kpp = patch.kpp;
    if (patch.ogrn !== undefined) set.ogrn = patch.ogrn;
    if (patch.bik !== undefined) set.bik = patch.bik;
    if (patch.account !== undefined) set.account = patch.account;
    if (patch.corrAccount !== undefined) set.corr_account = patch.corrAccount;
    if (patch.bankName !== undefined) set.bank_name = patch.bankName;
    if (patch.phones !== undefined) set.phones = json(uniq(patch.phones));
    if (patch.emails !== undefined) set.emails = json(uniq(patch.emails));
    if (patch.region !== undefined) set.region = patch.region;
    if (patch.address !== undefined) set.address = patch.address;
    if (patch.source !== undefined) set.source = patch.source;
    if (patch.tags !== undefined) set.tags = json(uniq(patch.tags));
    if (patch.negativeFeedback !== undefined) set.negative_feedback = patch.negativeFeedback ? 1 : 0;

    // Only keys this change adds are checked: a client created with `force` stays editable.
    const curPhones = parseList(current.phones);
    const curEmails = parseList(current.emails);
    const newKeys = {
      inn: patch.inn && patch.inn !== current.inn ? patch.inn : null,
      phones: uniq(patch.phones ?? []).filter((p) => !curPhones.includes(p)),
      emails: uniq(patch.emails ?? []).filter((e) => !curEmails.includes(e)),
    };

    await this.lockKeys(trx);
    await this.assertNoDuplicate(trx, actor, newKeys, patch.force, id, patch);
    const updated = await clientsRepo.update(trx, id, set, patch.version);
    if (!updated) throw versionConflict();
    await clientsRepo.refreshDerived(trx, this.dialect, id);
    if (ownerChange) return this.reassignRow(trx, actor, updated, patch.ownerId!);
    return updated;
  }

  /**
   * The first existing client with one of these keys (ИНН, phones, e-mails; any owner), for an import's dedupe; the
   * caller then updates it within its scope (or reports it).
   */
  async findDuplicateIn(trx: Tx, keys: { inn?: string | null; phones: string[]; emails: string[] }): Promise<Client | null> {
    await this.lockKeys(trx);
    const dup = await clientsRepo.findDuplicate(trx, keys);
    if (!dup) return null;
    const row = await clientsRepo.findById(trx, dup.id);
    return row ? toClient(row) : null;
  }

  /**
   * Removes a client an import created (its undo, in the caller's transaction), only if it is still as the import
   * left it (`version`) — else 409; linked records (deals, invoices) → 409 too. Contacts go with it.
   */
  async removeImported(trx: Tx, id: string, version: number): Promise<void> {
    const row = await clientsRepo.findById(trx, id);
    if (!row) return;
    if (row.version !== version) throw versionConflict();
    await sql`savepoint client_remove`.execute(trx);
    try {
      await clientsRepo.delete(trx, this.dialect, id);
      await sql`release savepoint client_remove`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint client_remove`.execute(trx);
      if (/foreign key/i.test(String((err as Error).message))) {
        throw new AppError('conflict', {
          message: `К клиенту «${row.name}» после импорта привязаны другие записи (сделки, счета, задачи)`,
          messageEn: `Records were linked to the client «${row.name}» after the import (deals, invoices, tasks)`,
        });
      }
      throw err;
    }
  }

  /** A client's contacts without a permission check (an import in its transaction, after its own check). */
  async contactsIn(exec: Executor, clientId: string): Promise<Contact[]> {
    return (await clientsRepo.listContacts(exec, clientId)).map(toContact);
  }

  /** The oldest client with exactly this name (deals import: «Клиент» given by name), or null. */
  async findByNameIn(exec: Executor, name: string): Promise<Client | null> {
    const row = await clientsRepo.findByName(exec, name.trim());
    return row ? toClient(row) : null;
  }

  /** Removes a contact an import added (its undo). */
  async removeImportedContact(trx: Tx, contactId: string): Promise<void> {
    const contact = await clientsRepo.findContact(trx, contactId);
    if (!contact) return;
    await clientsRepo.deleteContact(trx, this.dialect, contactId);
    await clientsRepo.refreshDerived(trx, this.dialect, contact.client_id);
  }

  /** The stored version of a client (undo checks that nobody changed it since), or null when it is gone. */
  async versionOf(exec: Executor, id: string): Promise<number | null> {
    return (await clientsRepo.findById(exec, id))?.version ?? null;
  }

  /** Live event for a client changed by a batch (imports), after its commit. */
  announce(client: Client) {
    this.ctx.events.emit(
      'client.changed',
      { id: client.id, version: client.version },
      { record: { resource: 'client', ownerIds: [client.ownerId] } },
    );
  }

  async delete(actor: Actor, id: string): Promise<void> {
    assertAbility(actor, 'client.manage');
    const current = await this.rowForActor(actor, id, 'write');
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.ctx.audit.write(
          {
            userId: actor.id,
            action: 'client.delete',
            entity: 'client',
            entityId: id,
            data: { name: current.name, inn: current.inn, ownerId: current.owner_id },
          },
          trx,
        );
        await clientsRepo.delete(trx, this.dialect, id);
      });
    } catch (err) {
      if (/foreign key/i.test(String((err as Error).message))) {
        throw ruleViolation(
          'Клиента нельзя удалить: к нему привязаны другие записи (сделки, счета). Объедините его с другим клиентом',
          undefined,
          'The client has linked records (deals, invoices); merge it instead',
        );
      }
      throw err;
    }
    this.ctx.events.emit('client.deleted', { id }, { record: { resource: 'client', ownerIds: [current.owner_id] } });
  }

  // ── refusal («отказ») ──

  async refuse(actor: Actor, id: string, input: { reasonId?: string | null; comment?: string; version?: number }): Promise<Client> {
    const current = await this.rowForActor(actor, id, 'write');
    if (!input.reasonId) {
      throw ruleViolation(
        'Чтобы перевести клиента в отказ, выберите причину отказа',
        { reasonId: 'Выберите причину отказа' },
        'Choose a loss reason to mark the client as refused',
      );
    }
    const reason = await this.ctx.services.lossReasons.get(input.reasonId);
    if (!reason) throw fieldError('reasonId', 'Такой причины отказа нет');
    if (reason.archived) throw fieldError('reasonId', 'Эта причина отказа в архиве');
    const comment = input.comment?.trim() || null;
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await clientsRepo.update(
        trx,
        current.id,
        { status: 'refused', refusal_reason_id: reason.id, refusal_comment: comment },
        input.version,
      );
      if (!updated) throw versionConflict();
      await this.ctx.services.timeline.add(trx, {
        clientId: id,
        kind: 'refusal',
        authorId: actor.id,
        text: comment,
        data: { reasonId: reason.id, reasonName: reason.name },
      });
      return updated;
    });
    this.emitChanged(row);
    return toClient(row);
  }

  async reactivate(actor: Actor, id: string, input: { version?: number } = {}): Promise<Client> {
    const current = await this.rowForActor(actor, id, 'write');
    if (current.status === 'active') return toClient(current);
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await clientsRepo.update(
        trx,
        id,
        { status: 'active', refusal_reason_id: null, refusal_comment: null },
        input.version,
      );
      if (!updated) throw versionConflict();
      await this.ctx.services.timeline.add(trx, { clientId: id, kind: 'reactivated', authorId: actor.id, text: null });
      return updated;
    });
    this.emitChanged(row);
    return toClient(row);
  }

  // ── timeline ──

  async addComment(actor: Actor, id: string, text: string): Promise<TimelineEntry> {
    const client = await this.rowForActor(actor, id, 'write');
    const at = nowIso();
    const entryId = await this.ctx.services.timeline.add(this.ctx.db, { clientId: id, kind: 'comment', authorId: actor.id, text, at });
    this.ctx.events.emit('client.timeline', { clientId: id }, { record: { resource: 'client', ownerIds: [client.owner_id] } });
    return { id: entryId, kind: 'comment', at, authorId: actor.id, authorName: actor.name, text, data: null, dealId: null };
  }

  // ── contacts ──

  async listContacts(actor: Actor, clientId: string): Promise<Contact[]> {
    await this.rowForActor(actor, clientId, 'read');
    return (await clientsRepo.listContacts(this.ctx.db, clientId)).map(toContact);
  }

  async createContact(actor: Actor, clientId: string, input: CreateContactInput): Promise<Contact> {
    await this.rowForActor(actor, clientId, 'write');
    return this.ctx.db.transaction().execute((trx) => this.createContactIn(trx, actor, clientId, input));
  }

  /** `createContact` inside the caller's transaction (imports). */
  async createContactIn(trx: Tx, actor: Actor, clientId: string, input: CreateContactInput): Promise<Contact> {
    await this.rowForActor(actor, clientId, 'write', trx);
    const now = nowIso();
    {
      const inserted = await clientsRepo.insertContact(trx, {
        id: newId(),
        client_id: clientId,
        name: input.name,
        position: input.position ?? null,
        phones: json(uniq(input.phones ?? [])),
        emails: json(uniq(input.emails ?? [])),
        search_text: '',
        search_rowid: null,
        created_at: now,
        updated_at: now,
      });
      await clientsRepo.refreshContactSearch(trx, this.dialect, inserted.id);
      await clientsRepo.refreshDerived(trx, this.dialect, clientId);
      return toContact(inserted);
    }
  }

  private async contactForActor(actor: Actor, contactId: string) {
    const contact = await clientsRepo.findContact(this.ctx.db, contactId);
    if (!contact) throw notFound();
    await this.rowForActor(actor, contact.client_id, 'write');
    return contact;
  }

  async updateContact(actor: Actor, contactId: string, patch: PatchContactInput): Promise<Contact> {
    const contact = await this.contactForActor(actor, contactId);
    const set: Parameters<typeof clientsRepo.updateContact>[2] = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.position !== undefined) set.position = patch.position;
    if (patch.phones !== undefined) set.phones = json(uniq(patch.phones));
    if (patch.emails !== undefined) set.emails = json(uniq(patch.emails));
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await clientsRepo.updateContact(trx, contactId, set, patch.version);
      if (!updated) throw versionConflict();
      await clientsRepo.refreshContactSearch(trx, this.dialect, contactId);
      await clientsRepo.refreshDerived(trx, this.dialect, contact.client_id);
      return updated;
    });
    return toContact(row);
  }

  async deleteContact(actor: Actor, contactId: string): Promise<void> {
    const contact = await this.contactForActor(actor, contactId);
    await this.ctx.db.transaction().execute(async (trx) => {
      await clientsRepo.deleteContact(trx, this.dialect, contactId);
      await clientsRepo.refreshDerived(trx, this.dialect, contact.client_id);
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'contact.delete',
          entity: 'contact',
          entityId: contactId,
          data: { name: contact.name, position: contact.position, clientId: contact.client_id },
        },
        trx,
      );
    });
  }

  // ── merge and reassignment (head, owner, admin) ──

  /** Merges `sourceId` into `targetId`: the target keeps its data and gains the source's; the source is deleted. */
  async merge(actor: Actor, targetId: string, sourceId: string): Promise<Client> {
    assertAbility(actor, 'client.manage');
    if (targetId === sourceId) throw fieldError('sourceId', 'Нельзя объединить клиента с самим собой');
    const target = await this.rowForActor(actor, targetId, 'write');
    const source = await this.rowForActor(actor, sourceId, 'write');
    const fill = <T>(a: T | null, b: T | null) => (a === null || a === '' ? b : a);
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const merged = await clientsRepo.update(trx, targetId, {
        legal_name: fill(target.legal_name, source.legal_name),
        inn: fill(target.inn, source.inn),
        kpp: fill(target.kpp, source.kpp),
        ogrn: fill(target.ogrn, source.ogrn),
        // Bank details travel together, so a target's account is never paired with the source's BIK.
        ...(target.bik || target.account
          ? {}
          : {
              bik: source.bik,
              account: source.account,
              corr_account: source.corr_account,
              bank_name: fill(target.bank_name, source.bank_name),
            }),
        region: fill(target.region, source.region),
        address: fill(target.address, source.address),
        source: fill(target.source, source.source),
        phones: json(uniq([...parseList(target.phones), ...parseList(source.phones)])),
        emails: json(uniq([...parseList(target.emails), ...parseList(source.emails)])),
        tags: json(uniq([...parseList(target.tags), ...parseList(source.tags)])),
        negative_feedback: target.negative_feedback || source.negative_feedback ? 1 : 0,
      });
      if (!merged) throw notFound();
      await clientsRepo.moveContacts(trx, sourceId, targetId);
      await this.ctx.services.timeline.moveClient(trx, sourceId, targetId);
      // Other modules' rows follow the client (domain event `client.merged`, same transaction).
      await this.ctx.domain.emit(trx, 'client.merged', { fromId: sourceId, toId: targetId });
      await clientsRepo.delete(trx, this.dialect, sourceId);
      await clientsRepo.refreshDerived(trx, this.dialect, targetId);
      await this.ctx.services.timeline.add(trx, {
        clientId: targetId,
        kind: 'merged',
        authorId: actor.id,
        text: `Объединён с клиентом «${source.name}»`,
        data: { sourceId, sourceName: source.name, sourceInn: source.inn },
      });
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'client.merge',
          entity: 'client',
          entityId: targetId,
          data: { sourceId, sourceName: source.name, sourceInn: source.inn },
        },
        trx,
      );
      return (await clientsRepo.findById(trx, targetId))!;
    });
    this.emitChanged(row);
    this.ctx.events.emit(
      'client.deleted',
      { id: sourceId, mergedInto: targetId },
      { record: { resource: 'client', ownerIds: [source.owner_id, row.owner_id] } },
    );
    return toClient(row);
  }

  /** Changes the owner inside `trx`: the row, other modules' open deals and tasks (`client.reassigned`), the timeline. */
  private async reassignRow(trx: Tx, actor: Actor, row: ClientRow, toOwnerId: string): Promise<ClientRow> {
    const fromOwnerId = row.owner_id;
    const updated = row.owner_id === toOwnerId ? row : await clientsRepo.update(trx, row.id, { owner_id: toOwnerId });
    if (!updated) throw notFound();
    await this.ctx.domain.emit(trx, 'client.reassigned', { clientId: row.id, fromOwnerId, toOwnerId, actorId: actor.id });
    const names = await trx
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', [toOwnerId, ...(fromOwnerId ? [fromOwnerId] : [])])
      .execute();
    const nameOf = (uid: string | null) => names.find((n) => n.id === uid)?.name ?? null;
    await this.ctx.services.timeline.add(trx, {
      clientId: row.id,
      kind: 'reassigned',
      authorId: actor.id,
      text: `Ответственный: ${nameOf(toOwnerId) ?? '—'}${fromOwnerId ? ` (был ${nameOf(fromOwnerId) ?? '—'})` : ''}`,
      data: { fromOwnerId, toOwnerId, fromOwnerName: nameOf(fromOwnerId), toOwnerName: nameOf(toOwnerId) },
    });
    return updated;
  }

  async reassign(actor: Actor, id: string, ownerId: string): Promise<Client> {
    assertAbility(actor, 'client.manage');
    const current = await this.rowForActor(actor, id, 'write');
    await this.assertOwnerAllowed(actor, ownerId);
    if (current.owner_id === ownerId) return toClient(current);
    const row = await this.ctx.db.transaction().execute((trx) => this.reassignRow(trx, actor, current, ownerId));
    this.emitChanged(row, current.owner_id);
    return toClient(row);
  }

  /** «Менеджер уходит»: every client of one owner (within the actor's scope) goes to another, with open deals and tasks. */
  async reassignAll(actor: Actor, fromOwnerId: string, toOwnerId: string): Promise<{ count: number }> {
    assertAbility(actor, 'client.manage');
    if (fromOwnerId === toOwnerId) throw fieldError('toOwnerId', 'Выберите другого сотрудника');
    await this.assertOwnerAllowed(actor, toOwnerId);
    const count = await this.ctx.db.transaction().execute(async (trx) => {
      const rows = await clientsRepo.ownerIdsOf(trx, actor, fromOwnerId);
      for (const { id } of rows) {
        const row = await clientsRepo.findById(trx, id);
        if (row) await this.reassignRow(trx, actor, row, toOwnerId);
      }
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'client.reassign_all',
          entity: 'client',
          entityId: null,
          data: { fromOwnerId, toOwnerId, count: rows.length },
        },
        trx,
      );
      return rows.length;
    });
    if (count > 0)
      this.ctx.events.emit(
        'clients.reassigned',
        { fromOwnerId, toOwnerId, count },
        { record: { resource: 'client', ownerIds: [fromOwnerId, toOwnerId] } },
      );
    return { count };
  }

  /** To everyone who may see the client, and to its previous owner (`others`) so that his list drops it. */
  private emitChanged(row: ClientRow, ...others: (string | null)[]) {
    const ownerIds = uniq([row.owner_id, ...others]);
    this.ctx.events.emit('client.changed', { id: row.id, version: row.version }, { record: { resource: 'client', ownerIds } });
  }
}
