import { sql, type Expression, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/connect.js';
import type { ClientsTable, ContactsTable } from '../../platform/db/schema.js';
import { scopeCondition, type Actor } from '../../platform/permissions.js';
import type { Client, Contact } from '../../../common/api/clients.js';
import { buildSearchText, ftsMatch, type SearchQuery } from './search-text.js';

export type ClientRow = Selectable<ClientsTable>;
export type ContactRow = Selectable<ContactsTable>;

const parseList = (s: string | null): string[] => {
  if (!s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export function toClient(r: ClientRow): Client {
  return {
    id: r.id,
    kind: r.kind as Client['kind'],
    name: r.name,
    legalName: r.legal_name,
    inn: r.inn,
    kpp: r.kpp,
    ogrn: r.ogrn,
    bik: r.bik,
    account: r.account,
    corrAccount: r.corr_account,
    bankName: r.bank_name,
    phones: parseList(r.phones),
    emails: parseList(r.emails),
    region: r.region,
    address: r.address,
    source: r.source,
    tags: parseList(r.tags),
    ownerId: r.owner_id,
    status: r.status as Client['status'],
    refusalReasonId: r.refusal_reason_id,
    refusalComment: r.refusal_comment,
    negativeFeedback: r.negative_feedback === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function toContact(r: ContactRow): Contact {
  return {
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    position: r.position,
    phones: parseList(r.phones),
    emails: parseList(r.emails),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export { parseList };

/** `search_text` matches the query: FTS5 on SQLite, tsvector (russian + simple) with prefixes on PostgreSQL. */
function searchCondition(dialect: Dialect, table: 'clients' | 'contacts', query: SearchQuery): Expression<SqlBool> {
  if (dialect === 'sqlite') {
    const fts = sql.table(`${table}_fts`);
    return sql<SqlBool>`${sql.ref(`${table}.search_rowid`)} in (select rowid from ${fts} where ${fts} match ${ftsMatch(query)})`;
  }
  const groups = query.map(
    (group) =>
      sql`(${sql.join(
        group.map((t) => sql`to_tsquery('russian', ${t + ':*'}) || to_tsquery('simple', ${t + ':*'})`),
        sql` || `,
      )})`,
  );
  const text = sql.ref(`${table}.search_text`);
  return sql<SqlBool>`(to_tsvector('russian', ${text}) || to_tsvector('simple', ${text})) @@ (${sql.join(groups, sql` && `)})`;
}

/** Keeps the FTS5 row of a client or contact in step with its `search_text` (SQLite only). */
async function writeFts(db: Executor, dialect: Dialect, table: 'clients' | 'contacts', id: string, text: string, rowid: number | null) {
  if (dialect !== 'sqlite') {
    await db.updateTable(table).set({ search_text: text }).where('id', '=', id).execute();
    return;
  }
  const fts = sql.table(`${table}_fts`);
  if (rowid !== null) {
    await sql`update ${fts} set search_text = ${text} where rowid = ${rowid}`.execute(db);
    await db.updateTable(table).set({ search_text: text }).where('id', '=', id).execute();
  } else {
    const res = await sql`insert into ${fts} (search_text) values (${text})`.execute(db);
    await db
      .updateTable(table)
      .set({ search_text: text, search_rowid: Number(res.insertId) })
      .where('id', '=', id)
      .execute();
  }
}

async function deleteFts(db: Executor, dialect: Dialect, table: 'clients' | 'contacts', rowids: (number | null)[]) {
  if (dialect !== 'sqlite') return;
  const ids = rowids.filter((r): r is number => r !== null);
  if (ids.length === 0) return;
  await sql`delete from ${sql.table(`${table}_fts`)} where rowid in (${sql.join(ids)})`.execute(db);
}

export interface ClientListFilter {
  status?: string;
  ownerId?: string;
  region?: string;
  query?: SearchQuery;
  /** Keyset: rows strictly after (created_at desc, id desc). */
  before?: { createdAt: string; id: string };
  limit: number;
}

export const clientsRepo = {
  findById(db: Executor, id: string) {
    return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  },

  names(db: Executor, ids: string[]) {
    return ids.length ? db.selectFrom('clients').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);
  },

  /** The client if the actor's scope reaches it for the action. */
  findInScope(db: Executor, actor: Actor, id: string, action: 'read' | 'write') {
    return db
      .selectFrom('clients')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => scopeCondition(eb, actor, 'client', action, ['clients.owner_id']))
      .executeTakeFirst();
  },

  list(db: Executor, dialect: Dialect, actor: Actor, f: ClientListFilter) {
    let q = db
      .selectFrom('clients')
      .selectAll()
      .where((eb) => scopeCondition(eb, actor, 'client', 'read', ['clients.owner_id']));
    if (f.status) q = q.where('status', '=', f.status);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.region) q = q.where('region', '=', f.region);
    if (f.query && f.query.length) {
      const query = f.query;
      q = q.where(() => searchCondition(dialect, 'clients', query));
    }
    if (f.before) {
      const { createdAt, id } = f.before;
      q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    }
    return q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit + 1)
      .execute();
  },

  async counts(db: Executor, actor: Actor, f: { ownerId?: string; region?: string }) {
    let q = db
      .selectFrom('clients')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => scopeCondition(eb, actor, 'client', 'read', ['clients.owner_id']));
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.region) q = q.where('region', '=', f.region);
    const rows = await q.groupBy('status').execute();
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    return { total: (by.active ?? 0) + (by.refused ?? 0), active: by.active ?? 0, refused: by.refused ?? 0 };
  },

  searchClients(db: Executor, dialect: Dialect, actor: Actor, query: SearchQuery, limit: number) {
    return db
      .selectFrom('clients')
      .selectAll()
      .where((eb) => scopeCondition(eb, actor, 'client', 'read', ['clients.owner_id']))
      .where(() => searchCondition(dialect, 'clients', query))
      .orderBy('name')
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  searchContacts(db: Executor, dialect: Dialect, actor: Actor, query: SearchQuery, limit: number) {
    return db
      .selectFrom('contacts')
      .innerJoin('clients', 'clients.id', 'contacts.client_id')
      .selectAll('contacts')
      .select('clients.name as client_name')
      .where((eb) => scopeCondition(eb, actor, 'client', 'read', ['clients.owner_id']))
      .where(() => searchCondition(dialect, 'contacts', query))
      .orderBy('contacts.name')
      .orderBy('contacts.id')
      .limit(limit)
      .execute();
  },

  insert(db: Executor, row: Omit<ClientRow, 'version'>) {
    return db.insertInto('clients').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Updates when `version` matches (or is not given); undefined on a stale version. */
  update(db: Executor, id: string, patch: Updateable<ClientsTable>, version?: number) {
    let q = db
      .updateTable('clients')
      .set((eb) => ({ ...patch, updated_at: patch.updated_at ?? new Date().toISOString(), version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },

  findByName(db: Executor, name: string) {
    return db.selectFrom('clients').selectAll().where('name', '=', name).orderBy('created_at').limit(1).executeTakeFirst();
  },

  async delete(db: Executor, dialect: Dialect, id: string) {
    const client = await db.selectFrom('clients').select('search_rowid').where('id', '=', id).executeTakeFirst();
    const contacts = await db.selectFrom('contacts').select('search_rowid').where('client_id', '=', id).execute();
    await deleteFts(
      db,
      dialect,
      'contacts',
      contacts.map((c) => c.search_rowid),
    );
    await deleteFts(db, dialect, 'clients', [client?.search_rowid ?? null]);
    await db.deleteFrom('clients').where('id', '=', id).execute();
  },

  /**
   * Re-derives everything computed from a client and its contacts: the duplicate keys (ИНН, phones, e-mails)
   * and the search text. Called in the transaction of every change.
   */
  async refreshDerived(db: Executor, dialect: Dialect, clientId: string) {
    const client = await db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst();
    if (!client) return;
    const contacts = await db.selectFrom('contacts').select(['phones', 'emails']).where('client_id', '=', clientId).execute();
    const phones = new Set(parseList(client.phones));
    const emails = new Set(parseList(client.emails));
    for (const c of contacts) {
      for (const p of parseList(c.phones)) phones.add(p);
      for (const e of parseList(c.emails)) emails.add(e);
    }
    await db.deleteFrom('client_keys').where('client_id', '=', clientId).execute();
    const keys = [
      ...(client.inn ? [{ client_id: clientId, kind: 'inn', value: client.inn }] : []),
      ...[...phones].map((value) => ({ client_id: clientId, kind: 'phone', value })),
      ...[...emails].map((value) => ({ client_id: clientId, kind: 'email', value })),
    ];
    if (keys.length) await db.insertInto('client_keys').values(keys).execute();
    const text = buildSearchText({
      words: [client.name, client.legal_name],
      numbers: [client.inn, client.ogrn],
      phones: [...phones],
      emails: [...emails],
    });
    await writeFts(db, dialect, 'clients', clientId, text, client.search_rowid);
  },

  /** The first other client holding one of these keys, ИНН first, then phones, then e-mails. */
  async findDuplicate(db: Executor, keys: { inn?: string | null; phones: string[]; emails: string[] }, excludeId?: string) {
    const wanted: { kind: string; values: string[] }[] = [
      { kind: 'inn', values: keys.inn ? [keys.inn] : [] },
      { kind: 'phone', values: keys.phones },
      { kind: 'email', values: keys.emails },
    ];
    for (const { kind, values } of wanted) {
      if (values.length === 0) continue;
      let q = db
        .selectFrom('client_keys')
        .innerJoin('clients', 'clients.id', 'client_keys.client_id')
        .leftJoin('users as owner', 'owner.id', 'clients.owner_id')
        .select(['clients.id', 'clients.name', 'client_keys.value', 'clients.owner_id', 'owner.name as owner_name'])
        .where('client_keys.kind', '=', kind)
        .where('client_keys.value', 'in', values);
      if (excludeId) q = q.where('client_keys.client_id', '<>', excludeId);
      const hit = await q.orderBy('clients.created_at').limit(1).executeTakeFirst();
      if (hit) {
        return {
          kind: kind as 'inn' | 'phone' | 'email',
          id: hit.id,
          name: hit.name,
          value: hit.value,
          ownerId: hit.owner_id,
          ownerName: hit.owner_name,
        };
      }
    }
    return undefined;
  },

  ownerIdsOf(db: Executor, actor: Actor, ownerId: string) {
    return db
      .selectFrom('clients')
      .select(['id', 'owner_id'])
      .where('owner_id', '=', ownerId)
      .where((eb) => scopeCondition(eb, actor, 'client', 'write', ['clients.owner_id']))
      .orderBy('id')
      .execute();
  },

  // ── contacts ──
  listContacts(db: Executor, clientId: string) {
    return db.selectFrom('contacts').selectAll().where('client_id', '=', clientId).orderBy('name').orderBy('id').execute();
  },
  findContact(db: Executor, id: string) {
    return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertContact(db: Executor, row: Omit<ContactRow, 'version'>) {
    return db.insertInto('contacts').values(row).returningAll().executeTakeFirstOrThrow();
  },
  updateContact(db: Executor, id: string, patch: Updateable<ContactsTable>, version?: number) {
    let q = db
      .updateTable('contacts')
      .set((eb) => ({ ...patch, updated_at: new Date().toISOString(), version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
  async deleteContact(db: Executor, dialect: Dialect, id: string) {
    const row = await db.selectFrom('contacts').select('search_rowid').where('id', '=', id).executeTakeFirst();
    await deleteFts(db, dialect, 'contacts', [row?.search_rowid ?? null]);
    await db.deleteFrom('contacts').where('id', '=', id).execute();
  },
  async refreshContactSearch(db: Executor, dialect: Dialect, id: string) {
    const c = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) return;
    const text = buildSearchText({ words: [c.name], phones: parseList(c.phones), emails: parseList(c.emails) });
    await writeFts(db, dialect, 'contacts', id, text, c.search_rowid);
  },
  moveContacts(db: Executor, fromId: string, toId: string) {
    return db.updateTable('contacts').set({ client_id: toId }).where('client_id', '=', fromId).execute();
  },
};
