import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound } from '../../platform/errors.js';
import { hashToken, newId, newToken } from '../../platform/ids.js';
import type { Actor, Role } from '../../platform/permissions.js';
import { SESSION_COOKIE } from '../../platform/http.js';
import type { User } from '../../../common/api/users.js';
import { usersRepo, toUser } from '../users/users.repo.js';
import { LoginLimiter } from './login-limiter.js';
import { verifyPassword } from './passwords.js';
import { authRepo } from './auth.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    auth: AuthService;
  }
}

export interface SessionResult {
  user: User;
  csrfToken: string;
  /** The cookie value (only the hash is stored). */
  token: string;
  expiresAt: Date;
}

// Verifying against a dummy hash keeps the timing of "no such user" close to "wrong password".
let dummyHash: Promise<string> | null = null;

export class AuthService {
  readonly limiter = new LoginLimiter();
  private tokenTouch = new Map<string, number>();

  constructor(private ctx: Ctx) {}

  /** Fills req.actor from the session cookie or the bearer token; never throws for a bad credential. */
  authenticate = async (req: FastifyRequest): Promise<void> => {
    const now = new Date().toISOString();
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const row = await authRepo.findToken(this.ctx.db, hashToken(header.slice(7).trim()));
      if (!row) return;
      req.actor = actorFrom(row);
      req.authKind = 'token';
      this.touchToken(row.token_id, now);
      return;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    const row = await authRepo.findSession(this.ctx.db, hashToken(cookie), now);
    if (!row) return;
    req.actor = actorFrom(row);
    req.authKind = 'session';
    req.sessionId = row.session_id;
    req.csrfToken = row.csrf_token;
  };

  async login(email: string, password: string, meta: { ip: string; userAgent?: string }): Promise<SessionResult> {
    email = email.trim().toLowerCase();
    if (this.limiter.isBlocked(email, meta.ip)) throw new AppError('rate_limited');
    const user = await usersRepo.findByEmail(this.ctx.db, email);
    const ok = user ? await verifyPassword(user.password_hash, password) : await verifyPassword(await this.dummy(), password);
    if (!user || !ok || user.active !== 1) {
      this.limiter.recordFailure(email, meta.ip);
      if (user && ok && user.active !== 1) {
        throw new AppError('invalid_credentials', { message: 'Учётная запись отключена администратором', messageEn: 'This account has been deactivated' });
      }
      throw new AppError('invalid_credentials');
    }
    this.limiter.recordSuccess(email);
    return this.startSession(toUser(user), meta);
  }

  async startSession(user: User, meta: { ip: string; userAgent?: string }): Promise<SessionResult> {
    const token = newToken();
    const csrfToken = newToken(24);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.ctx.config.sessionTtlMs);
    await authRepo.insertSession(this.ctx.db, {
      id: hashToken(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return { user, csrfToken, token, expiresAt };
  }

  async logout(sessionId: string | null): Promise<void> {
    if (sessionId) await authRepo.deleteSession(this.ctx.db, sessionId);
  }

  async me(actor: Actor): Promise<User> {
    const row = await usersRepo.findById(this.ctx.db, actor.id);
    if (!row) throw new AppError('unauthenticated');
    return toUser(row);
  }

  async setupNeeded(): Promise<boolean> {
    return (await usersRepo.count(this.ctx.db)) === 0;
  }

  /** The one-time setup: the first account becomes admin. */
  async setup(input: { email: string; name: string; password: string }, meta: { ip: string; userAgent?: string }): Promise<SessionResult> {
    if (!(await this.setupNeeded())) throw new AppError('setup_done');
    const user = await this.ctx.services.users.createUnchecked({ ...input, role: 'admin' });
    // Two racing setups: only the first user may stay admin-by-setup.
    const first = await this.ctx.db.selectFrom('users').select('id').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
    if (first.id !== user.id) {
      await this.ctx.db.deleteFrom('users').where('id', '=', user.id).execute();
      throw new AppError('setup_done');
    }
    return this.startSession(user, meta);
  }

  /** Creates the first admin from VORONKA_ADMIN_EMAIL/PASSWORD when there is no user yet. */
  async ensureAdminFromEnv(): Promise<User | null> {
    const { adminEmail, adminPassword } = this.ctx.config;
    if (!adminEmail || !adminPassword) return null;
    if (!(await this.setupNeeded())) return null;
    return this.ctx.services.users.createUnchecked({ email: adminEmail, name: 'Администратор', role: 'admin', password: adminPassword });
  }

  async listTokens(actor: Actor) {
    const rows = await authRepo.listTokens(this.ctx.db, actor.id);
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  /** Returns the token once; only its hash is stored. */
  async createToken(actor: Actor, name: string): Promise<{ id: string; token: string }> {
    const token = `vrk_${newToken()}`;
    const id = newId();
    await authRepo.insertToken(this.ctx.db, { id, user_id: actor.id, name: name.trim(), token_hash: hashToken(token), created_at: new Date().toISOString() });
    return { id, token };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    const res = await authRepo.revokeToken(this.ctx.db, id, actor.role === 'admin' ? null : actor.id, new Date().toISOString());
    if (Number(res.numUpdatedRows) === 0) throw notFound();
  }

  async purgeExpiredSessions(exec: Executor = this.ctx.db): Promise<void> {
    await authRepo.deleteExpiredSessions(exec, new Date().toISOString());
  }

  /** last_used_at is written at most once a minute per token, off the request path. */
  private touchToken(id: string, now: string) {
    const last = this.tokenTouch.get(id) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.tokenTouch.set(id, Date.now());
    authRepo.touchToken(this.ctx.db, id, now).catch(() => {});
  }

  private dummy(): Promise<string> {
    dummyHash ??= import('./passwords.js').then((m) => m.hashPassword('voronka-dummy-password'));
    return dummyHash;
  }
}

function actorFrom(row: { id: string; email: string; name: string; role: string; department_id: string | null }): Actor {
  return { id: row.id, email: row.email, name: row.name, role: row.role as Role, departmentId: row.department_id };
}
