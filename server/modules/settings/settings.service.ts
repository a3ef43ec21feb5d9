import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, versionConflict } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import {
  IMAGE_DATA_URL_RE,
  MAX_IMAGE_BYTES,
  vatRateOfTaxMode,
  type CompanySettings,
  type PutCompanySettingsInput,
  type TaxMode,
} from '../../../common/api/settings.js';
import { isRenderableImage } from '../../platform/pdf.js';
import { settingsRepo } from './settings.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    settings: SettingsService;
  }
}

const COMPANY = 'company';
const LOGO = 'company.logo';
const FACSIMILE = 'company.facsimile';

type Stored = Omit<CompanySettings, 'defaultVatRate' | 'logo' | 'facsimile' | 'version' | 'updatedAt'>;

/** Who may be the company's head of sales (settings `salesHeadId`). */
const SALES_HEAD_ROLES = new Set(['head', 'owner', 'admin']);

const DEFAULTS: Stored = {
  name: '',
  inn: '',
  kpp: '',
  ogrn: '',
  address: '',
  bankName: '',
  bik: '',
  account: '',
  corrAccount: '',
  director: '',
  chiefAccountant: '',
  taxMode: 'vat22',
  invoicePrefix: '',
  paymentTermDays: 5,
  salesHeadId: null,
};

const IMAGE_LABELS = { logo: 'Логотип', facsimile: 'Факсимиле' } as const;

/**
 * Company settings: the seller's requisites for invoices, the tax mode, numbering prefix and payment term, the logo
 * and facsimile images (kept under their own keys so that reading the requisites never loads the images).
 * Read: everyone logged in; write: admin.
 */
export class SettingsService {
  constructor(private ctx: Ctx) {}

  /** The company settings without a permission check (for invoices, 1C, reports). */
  async company(exec: Executor = this.ctx.db, opts: { images?: boolean } = {}): Promise<CompanySettings> {
    const keys = opts.images === false ? [COMPANY] : [COMPANY, LOGO, FACSIMILE];
    const rows = new Map((await settingsRepo.getMany(exec, keys)).map((r) => [r.key, r]));
    const row = rows.get(COMPANY);
    let stored: Partial<Stored> = {};
    if (row) {
      try {
        stored = JSON.parse(row.value) as Partial<Stored>;
      } catch {
        stored = {};
      }
    }
    const s: Stored = { ...DEFAULTS, ...stored };
    const image = (key: string) => {
      const r = rows.get(key);
      return r ? (JSON.parse(r.value) as string | null) : null;
    };
    return {
      ...s,
      defaultVatRate: vatRateOfTaxMode(s.taxMode as TaxMode),
      logo: image(LOGO),
      facsimile: image(FACSIMILE),
      version: row?.version ?? 0,
      updatedAt: row?.updated_at ?? null,
    };
  }

  async getCompany(actor: Actor): Promise<CompanySettings> {
    assertCan(actor, 'settings', 'read');
    return this.company();
  }

  async putCompany(actor: Actor, input: PutCompanySettingsInput): Promise<CompanySettings> {
    assertCan(actor, 'settings', 'write');
    const fields: Record<string, string> = {};
    for (const key of ['logo', 'facsimile'] as const) {
      const value = input[key];
      if (typeof value === 'string') {
        const message = await checkImage(value, IMAGE_LABELS[key]);
        if (message) fields[key] = message;
      }
    }
    if (input.salesHeadId) {
      const role = await this.ctx.services.users.activeRole(input.salesHeadId);
      if (!role || !SALES_HEAD_ROLES.has(role)) {
        fields.salesHeadId = 'Руководитель отдела продаж: выберите активного руководителя, собственника или администратора';
      }
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });

    const stored: Omit<Stored, 'salesHeadId'> & { salesHeadId?: string | null } = {
      name: input.name,
      inn: input.inn,
      kpp: input.kpp,
      ogrn: input.ogrn,
      address: input.address,
      bankName: input.bankName,
      bik: input.bik,
      account: input.account,
      corrAccount: input.corrAccount,
      director: input.director,
      chiefAccountant: input.chiefAccountant,
      taxMode: input.taxMode,
      invoicePrefix: input.invoicePrefix,
      paymentTermDays: input.paymentTermDays,
      salesHeadId: input.salesHeadId,
    };
    const now = new Date().toISOString();
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await settingsRepo.get(trx, COMPANY);
      if (input.version !== undefined && input.version !== (current?.version ?? 0)) throw versionConflict();
      // salesHeadId omitted: unchanged (older clients send the requisites only).
      if (stored.salesHeadId === undefined) stored.salesHeadId = (await this.company(trx, { images: false })).salesHeadId;
      const value = JSON.stringify(stored);
      if (!current) {
        if (!(await settingsRepo.insert(trx, COMPANY, value, now))) throw versionConflict();
      } else if (!(await settingsRepo.update(trx, COMPANY, value, now, current.version))) {
        throw versionConflict();
      }
      for (const [key, v] of [
        [LOGO, input.logo],
        [FACSIMILE, input.facsimile],
      ] as const) {
        if (v === undefined) continue; // omitted: unchanged
        if (v === null) await settingsRepo.delete(trx, key);
        else await settingsRepo.put(trx, key, JSON.stringify(v), now);
      }
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'settings.company.update',
          entity: 'settings',
          entityId: COMPANY,
          data: {
            ...stored,
            logo: input.logo === undefined ? 'unchanged' : !!input.logo,
            facsimile: input.facsimile === undefined ? 'unchanged' : !!input.facsimile,
          },
        },
        trx,
      );
      return this.company(trx);
    });
    this.ctx.events.emit('settings.updated', { key: COMPANY, version: result.version }, { everyone: true });
    return result;
  }
}

/** null when the data URL is a PNG/JPEG of at most 500 KB that a PDF can embed; else the message for the field. */
async function checkImage(dataUrl: string, label: string): Promise<string | null> {
  const m = IMAGE_DATA_URL_RE.exec(dataUrl);
  if (!m) return `${label}: нужна картинка PNG или JPEG (data:image/png;base64,…)`;
  const bytes = Buffer.from(m[2], 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) return `${label}: файл больше 500 КБ (${Math.ceil(bytes.length / 1024)} КБ)`;
  const png = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (m[1] === 'png' ? !png : !jpeg) return `${label}: содержимое не похоже на ${m[1] === 'png' ? 'PNG' : 'JPEG'}`;
  if (!(await isRenderableImage(dataUrl))) return `${label}: изображение повреждено или в неподдерживаемом формате`;
  return null;
}
