import type { Ctx } from '../../platform/context.js';
import type { NoPayload } from '../../platform/jobs.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound } from '../../platform/errors.js';
import { hashToken, newId, newToken } from '../../platform/ids.js';
import type { Actor, Role } from '../../platform/permissions.js';
import type { User } from '../../../common/api/users.js';
import { toUser } from '../users/users.service.js';
import { issueDeviceCookie, knownDeviceId } from './known-device.js';
import { LoginLimiter } from './login-limiter.js';
import { verifyPassword } from './passwords.js';
import { authRepo } from './auth.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    auth: AuthService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'auth.purge_sessions': NoPayload;
  }
}

/** What a credential resolves to; auth.routes' request hook copies it onto the request. */
export interface ResolvedCredential {
  actor: Actor;
  kind: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  /** When the session ends (epoch ms); null for an API token. */
  expiresAt: number | null;
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

/** A resolved credential, cached briefly so a request costs no database round trip. */
interface CachedAuth {
  actor: Actor;
  user: User;
  kind: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  tokenId: string | null;
  expiresAt: number;
  cachedAt: number;
}

const CACHE_TTL_MS = 30_000;
/** The full user record behind each resolved actor (for GET /auth/me without a query). */
const usersByActor = new WeakMap<Actor, User>();
const CACHE_MAX = 20_000;
const THROTTLE_AUDIT_MS = 15 * 60_000;

export class AuthService {
  readonly limiter = new LoginLimiter();
  /** When a throttled attempt of an e-mail from an address was last written to the audit log (see login()). */
  private throttleLogged = new Map<string, number>();
  private tokenTouch = new Map<string, number>();
  /**
   * Credential cache (key: token hash). Entries live 30 s and are dropped at once, on every instance, when a
   * user is changed, deactivated or logs out (invalidateUser/invalidateSession publish through the event bus).
   */
  private cache = new Map<string, CachedAuth>();

  constructor(private ctx: Ctx) {
    ctx.events.onAny((event) => {
      if (event.type !== 'auth.invalidate') return;
      const { userId, sessionId, tokenId } = (event.data ?? {}) as { userId?: string; sessionId?: string; tokenId?: string };
      this.dropLocal(userId, sessionId, tokenId);
    });
  }

  /**
   * Resolves a bearer token or a session cookie value (the token wins); null for a missing or bad credential,
   * never throws for one. The HTTP hook that reads them from the request is in auth.routes.
   */
  async resolveCredential(credential: { bearer: string | null; cookie: string | null | undefined }): Promise<ResolvedCredential | null> {
    const bearer = credential.bearer;
    const cookie = bearer ? null : credential.cookie;
    if (!bearer && !cookie) return null;
    const hash = hashToken((bearer ?? cookie)!);
    const key = (bearer ? 't:' : 's:') + hash;
    const nowMs = Date.now();
    let entry = this.cache.get(key);
    if (!entry || nowMs - entry.cachedAt > CACHE_TTL_MS || nowMs >= entry.expiresAt) {
      entry = (await this.resolve(hash, bearer !== null, nowMs)) ?? undefined;
      if (!entry) {
        this.cache.delete(key);
        return null;
      }
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(key, entry);
    }
    if (entry.tokenId) this.touchToken(entry.tokenId, new Date(nowMs).toISOString());
    return {
      actor: entry.actor,
      kind: entry.kind,
      sessionId: entry.sessionId,
      csrfToken: entry.csrfToken,
      expiresAt: Number.isFinite(entry.expiresAt) ? entry.expiresAt : null,
    };
  }

  private async resolve(hash: string, isToken: boolean, nowMs: number): Promise<CachedAuth | null> {
    const now = new Date(nowMs).toISOString();
    const row = isToken ? await authRepo.findToken(this.ctx.db, hash) : await authRepo.findSession(this.ctx.db, hash, now);
    if (!row) return null;
    const user = toUser({ ...row, password_hash: '', updated_at: row.created_at });
    const actor = actorFrom(row);
    usersByActor.set(actor, user);
    const base = { actor, user, cachedAt: nowMs };
    if ('token_id' in row) {
      return { ...base, kind: 'token', sessionId: null, csrfToken: null, tokenId: row.token_id, expiresAt: Infinity };
    }
    return {
      ...base,
      kind: 'session',
      sessionId: row.session_id,
      csrfToken: row.csrf_token,
      tokenId: null,
      expiresAt: new Date(row.expires_at).getTime(),
    };
  }

  /** Forgets cached credentials of a user (changed, deactivated) on every instance. */
  async invalidateUser(userId: string): Promise<void> {
    this.dropLocal(userId);
    await this.ctx.events.publishInternal('auth.invalidate', { userId });
  }

  private dropLocal(userId?: string, sessionId?: string, tokenId?: string) {
    for (const [key, entry] of this.cache) {
      if ((userId && entry.user.id === userId) || (sessionId && entry.sessionId === sessionId) || (tokenId && entry.tokenId === tokenId)) {
        this.cache.delete(key);
      }
    }
  }

  /**
   * Logs in and writes the attempt to the audit log: success, or a wrong e-mail/password with the e-mail tried.
   * `meta.device` is the known-device cookie; the result's `deviceCookie` is the one to set (login-limiter.ts).
   */
  async login(
    email: string,
    password: string,
    meta: { ip: string; userAgent?: string; device?: string | null },
  ): Promise<SessionResult & { deviceCookie: string }> {
    try {
      const s = await this.checkLogin(email, password, meta);
      await this.ctx.audit.write({
        userId: s.user.id,
        action: 'auth.login',
        entity: 'session',
        ip: meta.ip,
        data: { email: s.user.email },
      });
      return s;
    } catch (err) {
      const tried = email.trim().toLowerCase().slice(0, 254);
      if (err instanceof AppError && err.code === 'invalid_credentials') {
        await this.ctx.audit.write({ userId: null, action: 'auth.login_failed', entity: 'session', ip: meta.ip, data: { email: tried } });
      } else if (err instanceof AppError && err.code === 'rate_limited' && this.firstThrottle(tried, meta.ip)) {
        // A throttled attempt is written once per e-mail and address per window, not each time: a flood of
        // refused attempts would otherwise flood the log too.
        await this.ctx.audit.write({
          userId: null,
          action: 'auth.login_failed',
          entity: 'session',
          ip: meta.ip,
          data: { email: tried, throttled: true },
        });
      }
      throw err;
    }
  }

  /** True once per e-mail + address per 15 minutes; the map is bounded (oldest dropped first). */
  private firstThrottle(email: string, ip: string, now = Date.now()): boolean {
    const key = `${email}\n${ip}`;
    const last = this.throttleLogged.get(key);
    if (last !== undefined && now - last < THROTTLE_AUDIT_MS) return false;
    this.throttleLogged.delete(key);
    this.throttleLogged.set(key, now);
    if (this.throttleLogged.size > CACHE_MAX) this.throttleLogged.delete(this.throttleLogged.keys().next().value!);
    return true;
  }

  /** Checks the password under the login limits (login-limiter.ts). */
  private async checkLogin(
    email: string,
    password: string,
    meta: { ip: string; userAgent?: string; device?: string | null },
  ): Promise<SessionResult & { deviceCookie: string }> {
    email = email.trim().toLowerCase();
    const deviceId = knownDeviceId(this.ctx.config.secret, email, meta.device);
    const origin = { email, ip: meta.ip, deviceId };
    const now = Date.now();
    const pairWait = this.limiter.pairWait(origin, now);
    if (pairWait > 0) throw rateLimited(pairWait);
    if (!deviceId) {
      // Past the per-IP or per-account limit only an IP this account logged in from before may still try.
      const wait = this.limiter.untrustedWait(origin, now);
      if (wait > 0 && !(await authRepo.hasSessionFrom(this.ctx.db, email, meta.ip))) throw rateLimited(wait);
    }
    const user = await this.ctx.services.users.findForLogin(email);
    const ok = user ? await verifyPassword(user.password_hash, password) : await verifyPassword(await this.dummy(), password);
    if (!user || !ok || user.active !== 1) {
      this.limiter.recordFailure(origin);
      if (user && ok && user.active !== 1) {
        throw new AppError('invalid_credentials', {
          message: 'Учётная запись отключена администратором',
          messageEn: 'This account has been deactivated',
        });
      }
      throw new AppError('invalid_credentials');
    }
    this.limiter.recordSuccess(origin);
    const session = await this.startSession(toUser(user), meta);
    return { ...session, deviceCookie: issueDeviceCookie(this.ctx.config.secret, email, deviceId) };
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

  async logout(sessionId: string | null, actor: Actor | null = null): Promise<void> {
    if (!sessionId) return;
    await authRepo.deleteSession(this.ctx.db, sessionId);
    if (actor) await this.ctx.audit.write({ userId: actor.id, action: 'auth.logout', entity: 'session', data: { email: actor.email } });
    this.dropLocal(undefined, sessionId);
    await this.ctx.events.publishInternal('auth.invalidate', { sessionId });
  }

  /** The caller's user record as resolved with the credential (kept fresh by invalidateUser). */
  me(actor: Actor | null): User {
    const user = actor && usersByActor.get(actor);
    if (!user) throw new AppError('unauthenticated');
    return user;
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const res = await authRepo.revokeToken(trx, id, actor.role === 'admin' ? null : actor.id, new Date().toISOString());
      if (Number(res.numUpdatedRows) === 0) throw notFound();
      await this.ctx.audit.write({ userId: actor.id, action: 'api_token.revoke', entity: 'api_token', entityId: id }, trx);
    });
    this.dropLocal(undefined, undefined, id);
    await this.ctx.events.publishInternal('auth.invalidate', { tokenId: id });
  }

  async setupNeeded(): Promise<boolean> {
    return (await this.ctx.services.users.count()) === 0;
  }

  /** The one-time setup: the first account becomes admin. */
  async setup(input: { email: string; name: string; password: string }, meta: { ip: string; userAgent?: string }): Promise<SessionResult> {
    if (!(await this.setupNeeded())) throw new AppError('setup_done');
    const user = await this.ctx.services.users.createFirstAdmin(input);
    const s = await this.startSession(user, meta);
    await this.ctx.audit.write({
      userId: user.id,
      action: 'auth.login',
      entity: 'session',
      ip: meta.ip,
      data: { email: user.email, setup: true },
    });
    return s;
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
    await this.ctx.db.transaction().execute(async (trx) => {
      await authRepo.insertToken(trx, {
        id,
        user_id: actor.id,
        name: name.trim(),
        token_hash: hashToken(token),
        created_at: new Date().toISOString(),
      });
      await this.ctx.audit.write(
        { userId: actor.id, action: 'api_token.create', entity: 'api_token', entityId: id, data: { name: name.trim() } },
        trx,
      );
    });
    return { id, token };
  }

  /** Ends every session of a user inside the caller's transaction (deactivation, new password). */
  async endSessions(trx: Executor, userId: string): Promise<void> {
    await authRepo.deleteSessionsOfUser(trx, userId);
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

/** 429 with the wait in whole seconds (the route sends it as Retry-After). */
function rateLimited(waitMs: number): AppError {
  return new AppError('rate_limited', { details: { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) } });
}

function actorFrom(row: { id: string; email: string; name: string; role: string; department_id: string | null }): Actor {
  return { id: row.id, email: row.email, name: row.name, role: row.role as Role, departmentId: row.department_id };
}
