import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, fieldError, forbidden, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, hasAbility, inScope, scopeCondition, type Action, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { sendMail } from '../../platform/mail.js';
import { addDaysToDate, formatDateLongRu, formatDateRu, localDate, toInstant, zonedDateTime } from '../../../common/dates.js';
import { formatMoney, lineTotal, vatFromGross } from '../../../common/money.js';
import { amountInWords } from '../../../common/amount-in-words.js';
import {
  type ClientCredit,
  type Invoice,
  type InvoiceParty,
  type InvoicesQuery,
  type InvoicesSummary,
  type InvoiceSeller,
  type InvoiceSummary,
  type Payment,
  type PaymentInput,
} from '../../../common/api/invoices.js';
import { missingForInvoice, type CompanySettings, type TaxMode } from '../../../common/api/settings.js';
import type { Deal } from '../../../common/api/deals.js';
import { normalizeText } from '../../platform/text.js';
import { invoiceFileName, invoiceFileNameAscii, renderInvoicePdf } from './invoice-pdf.js';
import {
  invoicesRepo,
  toInvoiceItem,
  toInvoiceSummary,
  toPayment,
  type InvoiceFilters,
  type JoinedRow,
  type Where,
} from './invoices.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    invoices: InvoicesService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    /** `now`: an ISO instant to check at (tests); default: now. */
    'invoices.check_overdue': { now?: string };
  }
}

export const OVERDUE_JOB = 'invoices.check_overdue';

/** Reads clients and the like on behalf of the system (the invoice's own scope is checked first). */
const SYSTEM: Actor = { id: 'system', email: '', name: 'Система', role: 'admin', departmentId: null };

interface Prepared {
  deal: Deal;
  seller: InvoiceSeller;
  buyer: InvoiceParty;
  taxMode: TaxMode;
  prefix: string;
  paymentTermDays: number;
  items: {
    product_id: string | null;
    name: string;
    quantity: number;
    unit: string;
    price: number;
    vat_rate: number | null;
    total: number;
    vat: number;
  }[];
  total: number;
  vat: number;
}

/**
 * Invoices from deals, their PDF, sending by e-mail, payments (partial, full, a confirmed overpayment as the client's
 * credit), cancelling and re-issuing, the register with sums and its XLSX export, and payment control.
 * Scope (DESIGN §6) follows the deal's current owner: accountant — all; head — his department; owner/admin — all;
 * manager — invoices of his deals (read, issue, send, record payments); production — none.
 *
 * Why one file over 500 lines: issuing, payments, cancelling/re-issuing and payment control all move one invoice's
 * status and the client's credit under the same scope checks; the PDF is invoice-pdf.ts (renderer platform/pdf.ts),
 * SQL invoices.repo.ts. Not split yet (issue 9): the register export could move to its own file.
 */
export class InvoicesService {
  constructor(private ctx: Ctx) {}

  private get postgres() {
    return this.ctx.database.dialect === 'postgres';
  }

  private get tz() {
    return this.ctx.config.tz;
  }

  private today(now: Date = new Date()): string {
    return localDate(now, this.tz);
  }

  // ── access ──

  private scope(actor: Actor, action: Action): Where {
    return (eb) => scopeCondition(eb, actor, 'invoice', action, ['d.owner_id']);
  }

  private owners(row: { owner_id: string | null; owner_department_id: string | null }) {
    return [{ userId: row.owner_id, departmentId: row.owner_department_id }];
  }

  /** 404 out of the read scope; 403 when the actor may read it but not `action` it. */
  private check(actor: Actor, row: JoinedRow | undefined, action: Action): JoinedRow {
    if (!row || !inScope(actor, 'invoice', 'read', this.owners(row))) throw notFound();
    if (action === 'write' && !inScope(actor, 'invoice', 'write', this.owners(row))) throw forbidden();
    return row;
  }

  /** Cancel and re-issue: accountant, head, owner, admin (a manager issues, sends and records payments only). */
  private assertMayCancel(actor: Actor) {
    if (!hasAbility(actor, 'invoice.cancel')) {
      throw new AppError('forbidden', {
        message: 'Аннулировать и перевыставлять счета могут бухгалтер и руководитель',
        messageEn: 'Only an accountant or a head can cancel or re-issue invoices',
      });
    }
  }

  // ── reading ──

  private async full(exec: Executor, row: JoinedRow): Promise<Invoice> {
    const items = await invoicesRepo.items(exec, row.id);
    return {
      ...toInvoiceSummary(row, this.today()),
      items: items.map(toInvoiceItem),
      taxMode: row.tax_mode as TaxMode,
      seller: JSON.parse(row.seller) as InvoiceSeller,
      buyer: JSON.parse(row.buyer) as InvoiceParty,
    };
  }

  /** An invoice without a permission check (for other modules: 1C, reports, automation). */
  async load(exec: Executor, id: string): Promise<Invoice | null> {
    const row = await invoicesRepo.find(exec, id);
    return row ? this.full(exec, row) : null;
  }

  async get(actor: Actor, id: string): Promise<Invoice> {
    const row = this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'read');
    return this.full(this.ctx.db, row);
  }

  private filters(q: Partial<InvoicesQuery>, extra: Partial<InvoiceFilters> = {}): InvoiceFilters {
    return {
      status: q.status,
      clientId: q.clientId,
      dealId: q.dealId,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      from: q.from,
      to: q.to,
      q: q.q,
      today: this.today(),
      ...extra,
    };
  }

  async list(actor: Actor, q: InvoicesQuery & { limit: number; cursor?: string }): Promise<Page<InvoiceSummary>> {
    const page = await this.listWithBuyer(actor, q);
    return { items: page.items.map((i) => i.summary), nextCursor: page.nextCursor };
  }

  /** The list's page with each invoice's buyer as issued (the register export shows the buyer's ИНН). */
  async listWithBuyer(
    actor: Actor,
    q: InvoicesQuery & { limit: number; cursor?: string },
  ): Promise<Page<{ summary: InvoiceSummary; buyer: InvoiceParty }>> {
    assertCan(actor, 'invoice', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await invoicesRepo.list(this.ctx.db, {
      scope: this.scope(actor, 'read'),
      filters: this.filters(q),
      limit: q.limit,
      after: after ?? undefined,
    });
    const today = this.today();
    return toPage(
      rows,
      q.limit,
      (r) => ({ summary: toInvoiceSummary(r, today), buyer: JSON.parse(r.buyer) as InvoiceParty }),
      (r) => encodeCursor(r.created_at, r.id),
    );
  }

  /** Count and sums over every invoice matching the filters within the actor's scope (cancelled ones only when asked). */
  async summary(actor: Actor, q: InvoicesQuery): Promise<InvoicesSummary> {
    assertCan(actor, 'invoice', 'read');
    return invoicesRepo.summary(this.ctx.db, { scope: this.scope(actor, 'read'), filters: this.filters(q, { excludeCancelled: true }) });
  }

  /** The PDF of an invoice within the actor's scope. */
  async pdf(actor: Actor, id: string): Promise<{ buffer: Buffer; filename: string; asciiFilename: string }> {
    const invoice = await this.get(actor, id);
    const buffer = await this.renderPdf(invoice);
    return { buffer, filename: invoiceFileName(invoice), asciiFilename: invoiceFileNameAscii(invoice) };
  }

  /** Renders an invoice with the current logo and facsimile (no permission check). */
  async renderPdf(invoice: Invoice, exec: Executor = this.ctx.db): Promise<Buffer> {
    const company = await this.ctx.services.settings.company(exec);
    return renderInvoicePdf(invoice, { logo: company.logo, facsimile: company.facsimile });
  }

  async payments(actor: Actor, id: string): Promise<Payment[]> {
    this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'read');
    return (await invoicesRepo.payments(this.ctx.db, id)).map(toPayment);
  }

  /** The client's credit: surpluses of confirmed overpayments. */
  async credit(actor: Actor, clientId: string): Promise<ClientCredit> {
    assertCan(actor, 'invoice', 'read');
    await this.ctx.services.clients.getForActor(actor, clientId, 'read');
    const rows = await invoicesRepo.credits(this.ctx.db, clientId);
    return {
      clientId,
      balance: rows.reduce((s, r) => s + Number(r.amount), 0),
      items: rows.map((r) => ({
        id: r.id,
        paymentId: r.payment_id,
        invoiceId: r.invoice_id,
        invoiceNumber: r.invoice_number,
        amount: Number(r.amount),
        createdAt: r.created_at,
      })),
    };
  }

  // ── issuing ──

  /** Everything an invoice needs, read before the numbering transaction so that it holds the counter briefly. */
  private async prepare(actor: Actor, dealId: string): Promise<Prepared> {
    assertCan(actor, 'invoice', 'read'); // production: 404, as for anything it may not see
    const deal = await this.ctx.services.deals.getForActor(actor, dealId, 'read');
    const ownerDepartment = await invoicesRepo.userDepartment(this.ctx.db, deal.ownerId);
    if (!inScope(actor, 'invoice', 'write', [{ userId: deal.ownerId, departmentId: ownerDepartment }])) throw forbidden();
    if (deal.status === 'lost') {
      throw ruleViolation(
        'Сделка закрыта с отказом: счёт по ней выставить нельзя',
        undefined,
        'The deal is lost: no invoice can be issued',
      );
    }
    if (deal.items.length === 0 || deal.amount <= 0) {
      throw ruleViolation(
        'В сделке нет позиций с суммой: добавьте товары или услуги, чтобы выставить счёт',
        { items: 'Добавьте позиции в сделку' },
        'The deal has no items with an amount: add goods or services first',
      );
    }
    const company = await this.ctx.services.settings.company(this.ctx.db, { images: false });
    const missing = missingForInvoice(company);
    if (missing.length) {
      throw ruleViolation(
        `Заполните реквизиты компании в настройках (Настройки → Компания): ${missing.map((m) => m.label).join(', ')}`,
        Object.fromEntries(missing.map((m) => [`company.${m.field}`, 'Обязательное поле'])),
        `Fill in the company requisites in the settings: ${missing.map((m) => m.field).join(', ')}`,
      );
    }
    const client = await this.ctx.services.clients.getForActor(SYSTEM, deal.clientId, 'read');
    const products = await this.ctx.services.products.getMany(
      this.ctx.db,
      deal.items.map((i) => i.productId).filter((x): x is string => !!x),
    );
    const taxMode = company.taxMode;
    let total = 0;
    let vat = 0;
    const items = deal.items.map((it) => {
      const rate = taxMode === 'usn' ? null : it.vatRate;
      const lineSum = lineTotal(it.quantity, it.price);
      const lineVat = vatFromGross(lineSum, rate);
      total += lineSum;
      vat += lineVat;
      const unit = (it.productId ? products.get(it.productId)?.unit : undefined) || 'шт';
      return {
        product_id: it.productId,
        name: it.name,
        quantity: it.quantity,
        unit,
        price: it.price,
        vat_rate: rate,
        total: lineSum,
        vat: lineVat,
      };
    });
    return {
      deal,
      seller: sellerOf(company),
      buyer: {
        name: client.legalName || client.name,
        inn: client.inn,
        kpp: client.kpp,
        address: client.address,
      },
      taxMode,
      prefix: company.invoicePrefix,
      paymentTermDays: company.paymentTermDays,
      items,
      total,
      vat,
    };
  }

  /**
   * Moves the deal to «Счёт выставлен», then numbers and writes a prepared invoice inside `trx`. The number is taken
   * last, so that the counter row stays locked (PostgreSQL) only for the few writes up to the commit.
   * Lock order everywhere: invoice → deal → counter.
   */
  private async insertInvoice(trx: Tx, p: Prepared, actorId: string, reissueOfId: string | null = null): Promise<string> {
    await this.ctx.services.deals.moveByCode(trx, p.deal.id, 'invoiced', actorId, { onlyForward: true });
    const id = newId();
    await this.ctx.domain.emit(trx, 'invoice.issued', {
      invoiceId: id,
      dealId: p.deal.id,
      clientId: p.deal.clientId,
      actorId,
    });
    const now = new Date();
    const date = this.today(now);
    const year = Number(date.slice(0, 4));
    const seq = await invoicesRepo.nextNumber(trx, year);
    const number = `${p.prefix}${seq}`;
    const iso = now.toISOString();
    await invoicesRepo.insert(
      trx,
      {
        id,
        deal_id: p.deal.id,
        client_id: p.deal.clientId,
        year,
        seq,
        number,
        date,
        due_date: addDaysToDate(date, p.paymentTermDays),
        status: 'issued',
        tax_mode: p.taxMode,
        seller: JSON.stringify(p.seller),
        buyer: JSON.stringify(p.buyer),
        client_name: p.buyer.name,
        deal_title: p.deal.title,
        search_text: normalizeText(`${number} ${p.buyer.name} ${p.deal.clientName} ${p.buyer.inn ?? ''}`),
        subtotal: p.total - p.vat,
        vat_amount: p.vat,
        total: p.total,
        paid_amount: 0,
        paid_at: null,
        sent_at: null,
        sent_to: null,
        overdue_at: null,
        cancelled_at: null,
        cancelled_by: null,
        cancel_reason: null,
        reissue_of_id: reissueOfId,
        replaced_by_id: null,
        created_by: actorId,
        created_at: iso,
        updated_at: iso,
      },
      p.items.map((it, i) => ({ id: newId(), invoice_id: id, position: i, ...it })),
    );
    await this.ctx.services.timeline.add(trx, {
      clientId: p.deal.clientId,
      dealId: p.deal.id,
      kind: 'invoice',
      authorId: actorId,
      text: `Выставлен счёт № ${number} от ${formatDateRu(date)} на сумму ${formatMoney(p.total)}`,
      data: { action: 'issued', invoiceId: id, number, total: p.total, ...(reissueOfId ? { reissueOfId } : {}) },
      at: iso,
    });
    return id;
  }

  /** Issues an invoice from the deal's items (422 without items or without the company requisites). */
  async issue(actor: Actor, dealId: string): Promise<Invoice> {
    const p = await this.prepare(actor, dealId);
    const id = await this.ctx.db.transaction().execute((trx) => this.insertInvoice(trx, p, actor.id));
    const invoice = (await this.load(this.ctx.db, id))!;
    this.live(invoice);
    return invoice;
  }

  /** Cancels an invoice without payments (accountant, head, owner, admin). */
  async cancel(actor: Actor, id: string, input: { reason?: string; version?: number } = {}): Promise<Invoice> {
    const row = this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    this.assertMayCancel(actor);
    const invoice = await this.ctx.db.transaction().execute(async (trx) => {
      await this.cancelIn(trx, actor, row.id, input);
      return (await this.load(trx, row.id))!;
    });
    this.live(invoice);
    return invoice;
  }

  private async cancelIn(trx: Tx, actor: Actor, id: string, input: { reason?: string; version?: number }, reissued = false) {
    const row = (await invoicesRepo.find(trx, id, { forUpdate: true, postgres: this.postgres }))!;
    if (input.version !== undefined && input.version !== row.version) throw versionConflict();
    if (row.status === 'cancelled') throw ruleViolation('Счёт уже аннулирован', undefined, 'The invoice is already cancelled');
    if (Number(row.paid_amount) > 0 || (await invoicesRepo.countPayments(trx, id)) > 0) {
      throw ruleViolation(
        'По счёту есть оплаты: аннулировать его нельзя. Сначала удалите ошибочные оплаты',
        undefined,
        'The invoice has payments: it cannot be cancelled',
      );
    }
    const now = new Date().toISOString();
    const reason = input.reason?.trim() || null;
    if (
      !(await invoicesRepo.update(
        trx,
        id,
        { status: 'cancelled', cancelled_at: now, cancelled_by: actor.id, cancel_reason: reason, updated_at: now },
        row.version,
      ))
    ) {
      throw versionConflict();
    }
    await this.ctx.services.timeline.add(trx, {
      clientId: row.client_id,
      dealId: row.deal_id,
      kind: 'invoice',
      authorId: actor.id,
      text: `Счёт № ${row.number} аннулирован${reason ? `: ${reason}` : ''}${reissued ? ' (перевыставлен)' : ''}`,
      data: { action: 'cancelled', invoiceId: id, number: row.number, reason },
      at: now,
    });
  }

  /** Cancels the invoice and issues a new one (new number) from the deal's current items, in one transaction. */
  async reissue(actor: Actor, id: string, input: { reason?: string; version?: number } = {}): Promise<Invoice> {
    const row = this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    this.assertMayCancel(actor);
    if (row.status === 'cancelled') throw ruleViolation('Счёт уже аннулирован', undefined, 'The invoice is already cancelled');
    const p = await this.prepare(actor, row.deal_id);
    const created = await this.ctx.db.transaction().execute(async (trx) => {
      await this.cancelIn(trx, actor, row.id, { reason: input.reason, version: input.version }, true);
      const newIdValue = await this.insertInvoice(trx, p, actor.id, row.id);
      await invoicesRepo.update(trx, row.id, { replaced_by_id: newIdValue });
      return newIdValue;
    });
    const invoice = (await this.load(this.ctx.db, created))!;
    this.live(invoice);
    return invoice;
  }

  // ── sending ──

  /** E-mails the PDF to `email` or the client's first address; the invoice becomes «Отправлен». */
  async send(actor: Actor, id: string, input: { email?: string } = {}): Promise<Invoice> {
    const row = this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    if (row.status === 'cancelled') throw ruleViolation('Счёт аннулирован: отправить его нельзя', undefined, 'The invoice is cancelled');
    let email = input.email?.toLowerCase();
    if (!email) {
      const client = await this.ctx.services.clients.getForActor(SYSTEM, row.client_id, 'read');
      email = client.emails[0];
      if (!email) {
        throw ruleViolation(
          'У клиента нет e-mail: укажите адрес для отправки счёта',
          { email: 'Укажите e-mail получателя' },
          'The client has no e-mail: give an address',
        );
      }
    }
    if (!this.ctx.config.smtpUrl) throw new AppError('smtp_not_configured');
    const invoice = await this.full(this.ctx.db, row);
    const pdf = await this.renderPdf(invoice);
    const title = `Счёт на оплату № ${invoice.number} от ${formatDateLongRu(invoice.date)}`;
    const vatText = invoice.vatAmount > 0 ? `в том числе НДС ${formatMoney(invoice.vatAmount)}` : 'без НДС';
    await sendMail(this.ctx.config, {
      to: email,
      subject: `${title} — ${invoice.seller.name}`,
      fromName: invoice.seller.name,
      replyTo: actor.email || undefined,
      text: [
        'Здравствуйте!',
        '',
        `Направляем ${title.charAt(0).toLowerCase()}${title.slice(1)} на сумму ${formatMoney(invoice.total)} (${vatText}).`,
        `${amountInWords(invoice.total)}.`,
        `Оплатить не позднее ${formatDateRu(invoice.dueDate)}. В назначении платежа, пожалуйста, укажите номер счёта.`,
        '',
        'Счёт — во вложении (PDF).',
        '',
        'С уважением,',
        actor.name,
        invoice.seller.name,
      ].join('\n'),
      attachments: [{ filename: invoiceFileName(invoice), content: pdf, contentType: 'application/pdf' }],
    });
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const current = (await invoicesRepo.find(trx, id, { forUpdate: true, postgres: this.postgres }))!;
      const now = new Date().toISOString();
      await invoicesRepo.update(trx, id, {
        status: current.status === 'issued' ? 'sent' : current.status,
        sent_at: now,
        sent_to: email,
        updated_at: now,
      });
      await this.ctx.services.timeline.add(trx, {
        clientId: current.client_id,
        dealId: current.deal_id,
        kind: 'invoice',
        authorId: actor.id,
        text: `Счёт № ${current.number} отправлен на ${email}`,
        data: { action: 'sent', invoiceId: id, number: current.number, email },
        at: now,
      });
      await this.ctx.domain.emit(trx, 'invoice.sent', {
        invoiceId: id,
        dealId: current.deal_id,
        clientId: current.client_id,
        actorId: actor.id,
        at: now,
      });
      return (await this.load(trx, id))!;
    });
    this.live(result);
    return result;
  }

  // ── payments ──

  /**
   * Records a payment. Above the outstanding amount: 422 `overpayment` naming the excess, unless `confirmCredit` —
   * then the invoice takes what it lacks and the surplus is recorded as the client's credit.
   */
  async addPayment(actor: Actor, id: string, input: PaymentInput): Promise<Invoice> {
    this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    const paidAt = this.paymentDate(input.paidAt);
    let becamePaid = false;
    const invoice = await this.ctx.db.transaction().execute(async (trx) => {
      const row = (await invoicesRepo.find(trx, id, { forUpdate: true, postgres: this.postgres }))!;
      const total = Number(row.total);
      const paid = Number(row.paid_amount);
      const remaining = total - paid;
      if (row.status === 'cancelled')
        throw ruleViolation('Счёт аннулирован: оплату по нему записать нельзя', undefined, 'The invoice is cancelled');
      if (remaining <= 0)
        throw ruleViolation('Счёт уже оплачен полностью', { amount: 'Счёт уже оплачен' }, 'The invoice is already paid in full');
      const over = input.amount - remaining;
      if (over > 0 && !input.confirmCredit) {
        throw new AppError('overpayment', {
          message: `Сумма оплаты больше остатка по счёту на ${formatMoney(over)} (остаток ${formatMoney(remaining)}). Уменьшите сумму или подтвердите зачёт излишка в аванс клиента (confirmCredit)`,
          messageEn: `The payment exceeds the outstanding amount by ${over} kopecks; reduce it or confirm the surplus as the client's credit (confirmCredit)`,
          fields: { amount: `Больше остатка на ${formatMoney(over)}` },
          details: { over, remaining },
        });
      }
      const applied = Math.min(input.amount, remaining);
      const credit = input.amount - applied;
      const now = new Date().toISOString();
      const paymentId = newId();
      await invoicesRepo.insertPayment(
        trx,
        {
          id: paymentId,
          invoice_id: id,
          client_id: row.client_id,
          amount: applied,
          credit,
          paid_at: paidAt,
          reference: input.reference?.trim() || null,
          created_by: actor.id,
          created_at: now,
        },
        credit > 0
          ? { id: newId(), client_id: row.client_id, payment_id: paymentId, invoice_id: id, amount: credit, created_at: now }
          : null,
      );
      const newPaid = paid + applied;
      becamePaid = newPaid >= total;
      if (
        !(await invoicesRepo.update(
          trx,
          id,
          { paid_amount: newPaid, status: becamePaid ? 'paid' : 'partially_paid', paid_at: becamePaid ? paidAt : null, updated_at: now },
          row.version,
        ))
      ) {
        throw versionConflict();
      }
      await this.ctx.services.timeline.add(trx, {
        clientId: row.client_id,
        dealId: row.deal_id,
        kind: 'payment',
        authorId: actor.id,
        text:
          `Оплата ${formatMoney(applied)} по счёту № ${row.number} от ${formatDateRu(paidAt)}` +
          (becamePaid ? ' — счёт оплачен полностью' : `, остаток ${formatMoney(total - newPaid)}`) +
          (credit > 0 ? `; излишек ${formatMoney(credit)} зачтён в аванс клиента` : ''),
        data: {
          action: 'payment',
          invoiceId: id,
          number: row.number,
          paymentId,
          amount: applied,
          credit,
          paidAt,
          reference: input.reference ?? null,
          paid: becamePaid,
        },
        at: now,
      });
      if (becamePaid) {
        await this.ctx.services.deals.moveByCode(trx, row.deal_id, 'paid', actor.id, { onlyForward: true });
        await this.ctx.domain.emit(trx, 'invoice.paid', {
          invoiceId: id,
          dealId: row.deal_id,
          clientId: row.client_id,
          actorId: actor.id,
        });
      }
      if (row.owner_id && row.owner_id !== actor.id) {
        await this.ctx.services.notifications.notify(trx, {
          userIds: [row.owner_id],
          kind: becamePaid ? 'invoice_paid' : 'invoice_payment',
          title: becamePaid ? `Счёт № ${row.number} оплачен` : `Частичная оплата счёта № ${row.number}`,
          text: `${row.client_name}: ${formatMoney(applied)}${becamePaid ? '' : `, остаток ${formatMoney(total - newPaid)}`}`,
          link: `/invoices/${id}`,
          entity: 'invoice',
          entityId: id,
        });
      }
      return (await this.load(trx, id))!;
    });
    this.live(invoice);
    return invoice;
  }

  /** 'YYYY-MM-DD' of a payment date given as a day or an ISO instant (company time zone); no future days. */
  private paymentDate(value: string): string {
    let day: string;
    try {
      day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(toInstant(value, this.tz), this.tz);
    } catch {
      throw fieldError('paidAt', 'Дата оплаты: ГГГГ-ММ-ДД или ISO-8601');
    }
    if (day > this.today()) throw fieldError('paidAt', 'Дата оплаты не может быть в будущем');
    if (day < '2000-01-01') throw fieldError('paidAt', 'Слишком ранняя дата оплаты');
    return day;
  }

  /** Deletes an erroneous payment (admin, accountant; audited); the invoice's status is recomputed, the deal stays. */
  async deletePayment(actor: Actor, paymentId: string): Promise<Invoice> {
    const payment = await invoicesRepo.findPayment(this.ctx.db, paymentId);
    if (!payment) throw notFound();
    this.check(actor, await invoicesRepo.find(this.ctx.db, payment.invoice_id), 'read');
    if (!hasAbility(actor, 'payment.delete')) {
      throw new AppError('forbidden', {
        message: 'Удалять оплаты может бухгалтер или администратор',
        messageEn: 'Only an accountant or an admin can delete payments',
      });
    }
    const invoice = await this.ctx.db.transaction().execute(async (trx) => {
      const row = (await invoicesRepo.find(trx, payment.invoice_id, { forUpdate: true, postgres: this.postgres }))!;
      if (!(await invoicesRepo.findPayment(trx, paymentId))) throw notFound();
      await invoicesRepo.deletePayment(trx, paymentId);
      const paid = await invoicesRepo.paidSum(trx, row.id);
      const total = Number(row.total);
      const status = paid >= total ? 'paid' : paid > 0 ? 'partially_paid' : row.sent_at ? 'sent' : 'issued';
      const now = new Date().toISOString();
      await invoicesRepo.update(trx, row.id, {
        paid_amount: paid,
        status,
        paid_at: status === 'paid' ? row.paid_at : null,
        updated_at: now,
      });
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'payment.delete',
          entity: 'payment',
          entityId: paymentId,
          data: {
            invoiceId: row.id,
            number: row.number,
            amount: Number(payment.amount),
            credit: Number(payment.credit),
            paidAt: payment.paid_at,
            reference: payment.reference,
          },
        },
        trx,
      );
      await this.ctx.services.timeline.add(trx, {
        clientId: row.client_id,
        dealId: row.deal_id,
        kind: 'payment',
        authorId: actor.id,
        text: `Удалена оплата ${formatMoney(Number(payment.amount))} по счёту № ${row.number} от ${formatDateRu(payment.paid_at)}`,
        data: { action: 'payment_deleted', invoiceId: row.id, number: row.number, paymentId, amount: Number(payment.amount) },
        at: now,
      });
      return (await this.load(trx, row.id))!;
    });
    this.live(invoice);
    return invoice;
  }

  // ── payment control ──

  /**
   * Job: open invoices past their due date (company time zone) get marked overdue once; the deal owner gets one
   * `control` task (dedupe key `invoice-overdue:<id>`) and a notification; automation hears `invoice.overdue`.
   */
  async checkOverdue(trx: Tx, now: Date = new Date()): Promise<number> {
    const today = this.today(now);
    let marked = 0;
    for (;;) {
      const rows = await invoicesRepo.dueForControl(trx, today, 200);
      for (const r of rows) {
        if (!(await invoicesRepo.markOverdue(trx, r.id, now.toISOString()))) continue;
        marked++;
        const deal = await this.ctx.services.deals.load(trx, r.deal_id);
        const ownerId = deal?.ownerId ?? null;
        const outstanding = Number(r.total) - Number(r.paid_amount);
        const title = `Проконтролировать оплату: счёт № ${r.number} просрочен`;
        const text = `${r.client_name}: не оплачено ${formatMoney(outstanding)}, срок был ${formatDateRu(r.due_date)}`;
        if (ownerId) {
          let dueAt = zonedDateTime(today, '18:00', this.tz);
          if (dueAt.getTime() < now.getTime()) dueAt = new Date(now.getTime() + 3600_000);
          await this.ctx.services.tasks.createSystemTask(trx, {
            title,
            type: 'control',
            dueAt,
            assigneeId: ownerId,
            clientId: r.client_id,
            dealId: r.deal_id,
            authorId: null,
            description: `${text}. Свяжитесь с клиентом и уточните дату оплаты.`,
            source: 'payment_control',
            dedupeKey: `invoice-overdue:${r.id}`,
          });
          await this.ctx.services.notifications.notify(trx, {
            userIds: [ownerId],
            kind: 'invoice_overdue',
            title: `Счёт № ${r.number} просрочен`,
            text,
            link: `/invoices/${r.id}`,
            entity: 'invoice',
            entityId: r.id,
          });
        }
        await this.ctx.services.timeline.add(trx, {
          clientId: r.client_id,
          dealId: r.deal_id,
          kind: 'invoice',
          authorId: null,
          text: `Счёт № ${r.number} просрочен: ${text}`,
          data: { action: 'overdue', invoiceId: r.id, number: r.number, outstanding, dueDate: r.due_date },
          at: now.toISOString(),
        });
        await this.ctx.domain.emit(trx, 'invoice.overdue', {
          invoiceId: r.id,
          dealId: r.deal_id,
          clientId: r.client_id,
          actorId: null,
        });
      }
      if (rows.length < 200) break;
    }
    return marked;
  }

  // ── hooks ──

  /** A client merge (clients module, in its transaction): invoices, payments and credit follow. */
  async moveClient(trx: Tx, fromId: string, toId: string): Promise<void> {
    await invoicesRepo.moveClient(trx, fromId, toId);
  }

  /** Live update, after commit, to everyone who may see the invoice (its deal's owner, his head, accountants…). */
  private live(invoice: Invoice): void {
    this.ctx.events.emit(
      'invoice.updated',
      { id: invoice.id, status: invoice.status, dealId: invoice.dealId },
      { record: { resource: 'invoice', ownerIds: [invoice.ownerId] } },
    );
  }
}

/** The seller block of an invoice from the company settings (images excluded). */
function sellerOf(c: CompanySettings): InvoiceSeller {
  return {
    name: c.name,
    inn: c.inn || null,
    kpp: c.kpp || null,
    ogrn: c.ogrn || null,
    address: c.address || null,
    bankName: c.bankName,
    bik: c.bik,
    account: c.account,
    corrAccount: c.corrAccount,
    director: c.director,
    chiefAccountant: c.chiefAccountant || null,
  };
}
