import type { ApiError } from '../../../api/client';
import type { Client, ClientBody } from '../api';
import { formatPhone } from '../format';

/** The values of the client form (create and «Реквизиты» edit). Lists keep an empty row for typing. */
export interface ClientFormValues {
  kind: 'company' | 'person';
  name: string;
  legalName: string;
  inn: string;
  kpp: string;
  ogrn: string;
  bik: string;
  account: string;
  corrAccount: string;
  bankName: string;
  phones: string[];
  emails: string[];
  region: string;
  address: string;
  source: string;
  tags: string[];
  ownerId: string | null;
}

/** Fields shown in the collapsible «Реквизиты» block: it opens by itself when one of them has an error. */
export const REQUISITES_FIELDS = ['legalName', 'bik', 'account', 'corrAccount', 'bankName'] as const;

export function emptyClientValues(ownerId: string | null): ClientFormValues {
  return {
    kind: 'company',
    name: '',
    legalName: '',
    inn: '',
    kpp: '',
    ogrn: '',
    bik: '',
    account: '',
    corrAccount: '',
    bankName: '',
    phones: [''],
    emails: [''],
    region: '',
    address: '',
    source: '',
    tags: [],
    ownerId,
  };
}

export function clientToValues(client: Client): ClientFormValues {
  return {
    kind: client.kind,
    name: client.name,
    legalName: client.legalName ?? '',
    inn: client.inn ?? '',
    kpp: client.kpp ?? '',
    ogrn: client.ogrn ?? '',
    bik: client.bik ?? '',
    account: client.account ?? '',
    corrAccount: client.corrAccount ?? '',
    bankName: client.bankName ?? '',
    phones: client.phones.length ? client.phones.map(formatPhone) : [''],
    emails: client.emails.length ? [...client.emails] : [''],
    region: client.region ?? '',
    address: client.address ?? '',
    source: client.source ?? '',
    tags: [...client.tags],
    ownerId: client.ownerId,
  };
}

/** Non-empty entries of a list input, with the form index of each sent entry (to put `phones.N` errors back). */
function compact(list: string[]): { values: string[]; index: number[] } {
  const values: string[] = [];
  const index: number[] = [];
  list.forEach((raw, i) => {
    const value = raw.trim();
    if (value) {
      values.push(value);
      index.push(i);
    }
  });
  return { values, index };
}

export interface BuiltBody {
  body: ClientBody;
  /** Maps a sent list index to the form row: `phones.0` of the request may be the form's `phones.1`. */
  remap: (error: ApiError) => ApiError;
}

export function valuesToBody(values: ClientFormValues): BuiltBody {
  const phones = compact(values.phones);
  const emails = compact(values.emails);
  const person = values.kind === 'person';
  const body: ClientBody = {
    kind: values.kind,
    name: values.name.trim(),
    legalName: values.legalName.trim(),
    inn: values.inn.trim(),
    kpp: person ? '' : values.kpp.trim(),
    ogrn: values.ogrn.trim(),
    bik: values.bik.trim(),
    account: values.account.trim(),
    corrAccount: values.corrAccount.trim(),
    bankName: values.bankName.trim(),
    phones: phones.values,
    emails: emails.values,
    region: values.region.trim(),
    address: values.address.trim(),
    source: values.source.trim(),
    tags: values.tags.map((tag) => tag.trim()).filter(Boolean),
  };
  const remap = (error: ApiError): ApiError => {
    if (!error.fields) return error;
    const fields: Record<string, string> = {};
    for (const [path, message] of Object.entries(error.fields)) {
      const match = /^(phones|emails)\.(\d+)(.*)$/.exec(path);
      if (match) {
        const list = match[1] === 'phones' ? phones : emails;
        const row = list.index[Number(match[2])];
        fields[`${match[1]}.${row ?? match[2]}`] = message;
      } else {
        fields[path] = message;
      }
    }
    Object.defineProperty(error, 'fields', { value: fields });
    return error;
  };
  return { body, remap };
}
