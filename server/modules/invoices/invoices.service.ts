import type { Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/connect.js';
import { AppError, forbidden, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, hasAbility, inScope, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysToDate, formatDateRu } from '../../../common/dates.js';
import { formatMoney, lineTotal, vatFromGross } from '../../../common/money.js';
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
import { invoiceFileName, invoiceFileNameAscii } from './invoice-pdf.js';
import { InvoiceBase, SYSTEM } from './invoice-base.js';
import { InvoiceMail } from './invoice-mail.js';
import { InvoicePayments } from './invoice-payments.js';
import { PaymentControl } from './payment-control.js';
import { invoicesRepo, toInvoiceSummary, toPayment, type InvoiceFilters } from './invoices.repo.js';

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
 * This file reads, issues, cancels and re-issues; the other parts are their own files (invoice-base.ts: scope checks
 * and reading shared by all; invoice-mail.ts; invoice-payments.ts; payment-control.ts), and this service is the
 * module's one face to routes, jobs and other modules.
 */
export class InvoicesService extends InvoiceBase {
  private readonly mail: InvoiceMail;
  private readonly paymentsPart: InvoicePayments;
  private readonly control: PaymentControl;

  constructor(ctx: Ctx) {
    super(ctx);
    this.mail = new InvoiceMail(ctx);
    this.paymentsPart = new InvoicePayments(ctx);
    this.control = new PaymentControl(ctx);
  }

  /** E-mails the PDF to `email` or the client's first address; the invoice becomes «Отправлен». */
  send(actor: Actor, id: string, input: { email?: string } = {}): Promise<Invoice> {
    return this.mail.send(actor, id, input);
  }

  /** Records a payment (422 `overpayment` above the outstanding amount unless `confirmCredit`). */
  addPayment(actor: Actor, id: string, input: PaymentInput): Promise<Invoice> {
    return this.paymentsPart.addPayment(actor, id, input);
  }

  /** Deletes an erroneous payment (admin, accountant; audited). */
  deletePayment(actor: Actor, paymentId: string): Promise<Invoice> {
    return this.paymentsPart.deletePayment(actor, paymentId);
  }

  /** Job: open invoices past their due date get marked overdue once, with a control task for the owner. */
  checkOverdue(trx: Tx, now: Date = new Date()): Promise<number> {
    return this.control.checkOverdue(trx, now);
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

  // ── hooks ──

  /** A client merge (clients module, in its transaction): invoices, payments and credit follow. */
  async moveClient(trx: Tx, fromId: string, toId: string): Promise<void> {
    await invoicesRepo.moveClient(trx, fromId, toId);
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
