import crypto from 'node:crypto';
import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import {
  DEFAULT_FORM_RATE_LIMIT,
  DEFAULT_SLA_MINUTES,
  DEFAULT_THANK_YOU_RU,
  type Assignment,
  type CreateFormInput,
  type FormSnippet,
  type PatchFormInput,
  type WebForm,
} from '../../../common/api/forms.js';
import { formsRepo, toForm, toFormConfig, type FormConfig, type FormRow } from './forms.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    forms: FormsService;
  }
}

const CACHE_TTL_MS = 5_000;
const INVALIDATE_EVENT = 'forms.invalidate' as const;

const newToken = () => crypto.randomBytes(18).toString('base64url');
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Web forms: their settings (assignment pool and strategy, SLA, allowed origins, thank-you text, honeypot,
 * rate limits) and the token that addresses the public endpoint. Admin writes; admin, owner and head read.
 * The public endpoint looks forms up by token through a short cache, dropped on every change (on every
 * instance, through the event bus).
 */
export class FormsService {
  private cache = new Map<string, { form: FormConfig | null; at: number }>();

  constructor(private ctx: Ctx) {}

  /** Subscribes to cache invalidations from other instances (called from the module's init). */
  listenForInvalidation(): void {
    this.ctx.events.onAny((e) => {
      if (e.type === INVALIDATE_EVENT) this.cache.clear();
    });
  }

  private invalidate(): void {
    this.cache.clear();
    // An internal message: no browser receives it; other instances drop their caches.
    this.ctx.events.publishInternal(INVALIDATE_EVENT, {}).catch(() => {});
  }

  private toJson(r: FormRow): WebForm {
    return toForm(r, this.ctx.config.publicUrl);
  }

  async list(actor: Actor, q: { limit: number; cursor?: string }): Promise<Page<WebForm>> {
    assertCan(actor, 'form', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await formsRepo.list(this.ctx.db, {
      limit: q.limit,
      after: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    return toPage(
      rows,
      q.limit,
      (r) => this.toJson(r),
      (r) => encodeCursor(r.created_at, r.id),
    );
  }

  async get(actor: Actor, id: string): Promise<WebForm> {
    assertCan(actor, 'form', 'read');
    const row = await formsRepo.findById(this.ctx.db, id);
    if (!row) throw notFound();
    return this.toJson(row);
  }

  /** The form's name by id, without a permission check (the lead card shows it). */
  async nameOf(id: string, exec: Executor = this.ctx.db): Promise<string | null> {
    return (await formsRepo.findById(exec, id))?.name ?? null;
  }

  /** Every pool member and rule target must be an active user. */
  private async assertAssignment(a: Assignment): Promise<void> {
    const ids = [...new Set([...a.userIds, ...(a.rules ?? []).map((r) => r.userId)])];
    const active = await formsRepo.activeUsers(this.ctx.db, ids);
    const fields: Record<string, string> = {};
    a.userIds.forEach((id, i) => {
      if (!active.has(id)) fields[`assignment.userIds.${i}`] = 'Нет такого активного пользователя';
    });
    (a.rules ?? []).forEach((r, i) => {
      if (!active.has(r.userId)) fields[`assignment.rules.${i}.userId`] = 'Нет такого активного пользователя';
    });
    if (a.strategy === 'rules' && !(a.rules ?? []).length) fields['assignment.rules'] = 'Добавьте хотя бы одно правило';
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
  }

  async create(actor: Actor, input: CreateFormInput): Promise<WebForm> {
    assertCan(actor, 'form', 'write');
    await this.assertAssignment(input.assignment);
    const now = new Date().toISOString();
    const rate = input.rateLimit ?? DEFAULT_FORM_RATE_LIMIT;
    const row = await formsRepo.insert(this.ctx.db, {
      id: newId(),
      token: newToken(),
      name: input.name.trim(),
      strategy: input.assignment.strategy,
      user_ids: JSON.stringify([...new Set(input.assignment.userIds)]),
      rules: JSON.stringify(input.assignment.rules ?? []),
      sla_minutes: input.slaMinutes ?? DEFAULT_SLA_MINUTES,
      allowed_origins: JSON.stringify([...new Set(input.allowedOrigins ?? [])]),
      thank_you_text: input.thankYouText?.trim() || null,
      honeypot_field: input.honeypotField?.trim() || null,
      rate_per_ip: rate.perIpPerMinute,
      rate_per_form: rate.perFormPerMinute,
      active: input.active === false ? 0 : 1,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
    return this.toJson(row);
  }

  async update(actor: Actor, id: string, patch: PatchFormInput): Promise<WebForm> {
    assertCan(actor, 'form', 'write');
    const current = await formsRepo.findById(this.ctx.db, id);
    if (!current) throw notFound();
    if (patch.assignment) await this.assertAssignment(patch.assignment);
    const set: Parameters<typeof formsRepo.update>[2] = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.assignment) {
      set.strategy = patch.assignment.strategy;
      set.user_ids = JSON.stringify([...new Set(patch.assignment.userIds)]);
      set.rules = JSON.stringify(patch.assignment.rules ?? []);
    }
    if (patch.slaMinutes !== undefined) set.sla_minutes = patch.slaMinutes;
    if (patch.allowedOrigins !== undefined) set.allowed_origins = JSON.stringify([...new Set(patch.allowedOrigins)]);
    if (patch.thankYouText !== undefined) set.thank_you_text = patch.thankYouText?.trim() || null;
    if (patch.honeypotField !== undefined) set.honeypot_field = patch.honeypotField?.trim() || null;
    if (patch.rateLimit) {
      set.rate_per_ip = patch.rateLimit.perIpPerMinute;
      set.rate_per_form = patch.rateLimit.perFormPerMinute;
    }
    if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
    const row = await formsRepo.update(this.ctx.db, id, set, patch.version);
    if (!row) throw versionConflict();
    this.invalidate();
    return this.toJson(row);
  }

  /** A new token: the old endpoint URL stops working at once. */
  async rotateToken(actor: Actor, id: string): Promise<WebForm> {
    assertCan(actor, 'form', 'write');
    if (!(await formsRepo.findById(this.ctx.db, id))) throw notFound();
    const row = await formsRepo.update(this.ctx.db, id, { token: newToken(), updated_at: new Date().toISOString() });
    if (!row) throw notFound();
    this.invalidate();
    return this.toJson(row);
  }

  async snippet(actor: Actor, id: string): Promise<FormSnippet> {
    const form = await this.get(actor, id);
    const base = this.ctx.config.publicUrl.replace(/\/+$/, '');
    const script = `<script src="${escapeHtml(base)}/api/public/embed.js" defer></script>`;
    const honeypot = form.honeypotField
      ? `\n  <input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-10000px">`
      : '';
    const html = `<form data-voronka-form="${escapeHtml(form.token)}">
  <input type="text" name="name" placeholder="Ваше имя" autocomplete="name">
  <input type="tel" name="phone" placeholder="Телефон" autocomplete="tel" required>
  <input type="email" name="email" placeholder="E-mail" autocomplete="email">
  <textarea name="comment" placeholder="Комментарий"></textarea>${honeypot}
  <button type="submit">Отправить заявку</button>
</form>
${script}`;
    return { html, script };
  }

  /** The form's configuration by id (any state), or null; for the leads intake (`formId`). */
  async configById(exec: Executor, id: string): Promise<FormConfig | null> {
    const row = await formsRepo.findById(exec, id);
    return row ? toFormConfig(row) : null;
  }

  /** The form behind a public token, or null (unknown or disabled). Cached for a few seconds. */
  async byToken(token: string): Promise<FormConfig | null> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.form;
    const row = await formsRepo.findByToken(this.ctx.db, token);
    const form = row && row.active === 1 ? toFormConfig(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { form, at: now });
    return form;
  }

  /** Advances the form's round-robin counter atomically by `by`; returns the new value. */
  nextCounter(exec: Executor, formId: string, by = 1): Promise<number> {
    return formsRepo.nextCounter(exec, formId, by);
  }

  /** Active users among `ids` (for assignment). */
  activeUsers(exec: Executor, ids: string[]) {
    return formsRepo.activeUsers(exec, ids);
  }

  thankYouText(form: FormConfig): string {
    return form.thankYouText || DEFAULT_THANK_YOU_RU;
  }
}
