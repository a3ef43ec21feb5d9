import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { inScope, scopeCondition, type Action, type Actor } from '../../platform/permissions.js';
import { localDate } from '../../../common/dates.js';
import type { Invoice, InvoiceParty, InvoiceSeller } from '../../../common/api/invoices.js';
import type { TaxMode } from '../../../common/api/settings.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { invoicesRepo, toInvoiceItem, toInvoiceSummary, type JoinedRow, type Where } from './invoices.repo.js';

/** Reads clients and the like on behalf of the system (the invoice's own scope is checked first). */
export const SYSTEM: Actor = { id: 'system', email: '', name: 'Система', role: 'admin', departmentId: null };

/**
 * What every part of the invoices module shares: the scope checks (DESIGN §6: an invoice follows its deal's current
 * owner), reading a whole invoice, its PDF and the live update. The parts: invoices.service.ts (reading, issuing,
 * cancelling), invoice-payments.ts, invoice-mail.ts, payment-control.ts.
 */
export class InvoiceBase {
  constructor(protected readonly ctx: Ctx) {}

  protected get postgres() {
    return this.ctx.database.dialect === 'postgres';
  }

  protected get tz() {
    return this.ctx.config.tz;
  }

  protected today(now: Date = new Date()): string {
    return localDate(now, this.tz);
  }

  protected scope(actor: Actor, action: Action): Where {
    return (eb) => scopeCondition(eb, actor, 'invoice', action, ['d.owner_id']);
  }

  protected owners(row: { owner_id: string | null; owner_department_id: string | null }) {
    return [{ userId: row.owner_id, departmentId: row.owner_department_id }];
  }

  /** 404 out of the read scope; 403 when the actor may read it but not `action` it. */
  protected check(actor: Actor, row: JoinedRow | undefined, action: Action): JoinedRow {
    if (!row || !inScope(actor, 'invoice', 'read', this.owners(row))) throw notFound();
    if (action === 'write' && !inScope(actor, 'invoice', 'write', this.owners(row))) throw forbidden();
    return row;
  }

  protected async full(exec: Executor, row: JoinedRow): Promise<Invoice> {
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

  /** Renders an invoice with the current logo and facsimile (no permission check). */
  async renderPdf(invoice: Invoice, exec: Executor = this.ctx.db): Promise<Buffer> {
    const company = await this.ctx.services.settings.company(exec);
    return renderInvoicePdf(invoice, { logo: company.logo, facsimile: company.facsimile });
  }

  /** Live update, after commit, to everyone who may see the invoice (its deal's owner, his head, accountants…). */
  protected live(invoice: Invoice): void {
    this.ctx.events.emit(
      'invoice.updated',
      { id: invoice.id, status: invoice.status, dealId: invoice.dealId },
      { record: { resource: 'invoice', ownerIds: [invoice.ownerId] } },
    );
  }
}
