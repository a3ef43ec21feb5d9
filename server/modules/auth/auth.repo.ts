import type { Executor } from '../../platform/db/connect.js';

export const authRepo = {
  /** The live session with its active user, or undefined. */
  findSession(db: Executor, id: string, now: string) {
    return db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id as session_id',
        's.csrf_token',
        's.expires_at',
        'u.id',
        'u.email',
        'u.name',
        'u.role',
        'u.department_id',
        'u.active',
        'u.version',
        'u.created_at',
      ])
      .where('s.id', '=', id)
      .where('s.expires_at', '>', now)
      .where('u.active', '=', 1)
      .executeTakeFirst();
  },
  insertSession(
    db: Executor,
    row: {
      id: string;
      user_id: string;
      csrf_token: string;
      created_at: string;
      expires_at: string;
      ip: string | null;
      user_agent: string | null;
    },
  ) {
    return db.insertInto('sessions').values(row).execute();
  },
  /** Whether the account has (or had: expired rows are purged only hourly) a session started from this IP. */
  async hasSessionFrom(db: Executor, email: string, ip: string): Promise<boolean> {
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select('s.id')
      .where('u.email', '=', email)
      .where('s.ip', '=', ip)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },
  deleteSession(db: Executor, id: string) {
    return db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  deleteSessionsOfUser(db: Executor, userId: string) {
    return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  deleteExpiredSessions(db: Executor, now: string) {
    return db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  },
  findToken(db: Executor, hash: string) {
    return db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id as token_id',
        't.last_used_at',
        'u.id',
        'u.email',
        'u.name',
        'u.role',
        'u.department_id',
        'u.active',
        'u.version',
        'u.created_at',
      ])
      .where('t.token_hash', '=', hash)
      .where('t.revoked_at', 'is', null)
      .where('u.active', '=', 1)
      .executeTakeFirst();
  },
  touchToken(db: Executor, id: string, now: string) {
    return db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  },
  listTokens(db: Executor, userId: string) {
    return db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  },
  insertToken(db: Executor, row: { id: string; user_id: string; name: string; token_hash: string; created_at: string }) {
    return db
      .insertInto('api_tokens')
      .values({ ...row, last_used_at: null, revoked_at: null })
      .execute();
  },
  revokeToken(db: Executor, id: string, userId: string | null, now: string) {
    let q = db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null);
    if (userId) q = q.where('user_id', '=', userId);
    return q.executeTakeFirst();
  },
};
