import type { AssignmentStrategy, CreateFormInput, WebForm } from '../../../../common/api/forms';

/** A rule as edited: the field is a kind (Регион / utm_source / поле формы) plus the field's name for the last. */
export interface RuleValues {
  key: string;
  kind: 'region' | 'utm_source' | 'field';
  fieldName: string;
  equals: string;
  userId: string | null;
}

export interface FormValues {
  name: string;
  active: boolean;
  strategy: AssignmentStrategy;
  userIds: string[];
  rules: RuleValues[];
  slaMinutes: number | string;
  /** One origin per line. */
  allowedOrigins: string;
  thankYouText: string;
  honeypotField: string;
}

let seq = 0;
export const ruleKey = () => `rule-${++seq}`;

export function emptyRule(): RuleValues {
  return { key: ruleKey(), kind: 'region', fieldName: '', equals: '', userId: null };
}

export function toValues(form?: WebForm | null): FormValues {
  if (!form) {
    return {
      name: '',
      active: true,
      strategy: 'round_robin',
      userIds: [],
      rules: [],
      slaMinutes: 15,
      allowedOrigins: '',
      thankYouText: '',
      honeypotField: '',
    };
  }
  return {
    name: form.name,
    active: form.active,
    strategy: form.assignment.strategy,
    userIds: [...form.assignment.userIds],
    rules: (form.assignment.rules ?? []).map((r) => ({
      key: ruleKey(),
      kind: r.field === 'region' || r.field === 'utm_source' ? r.field : 'field',
      fieldName: r.field === 'region' || r.field === 'utm_source' ? '' : r.field,
      equals: r.equals,
      userId: r.userId,
    })),
    slaMinutes: form.slaMinutes,
    allowedOrigins: form.allowedOrigins.join('\n'),
    thankYouText: form.thankYouText ?? '',
    honeypotField: form.honeypotField ?? '',
  };
}

export function originLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

export const ORIGIN_RE = /^https?:\/\/[^/\s?#]+$/i;
export const HONEYPOT_RE = /^[A-Za-z_][A-Za-z0-9_\-[\]]*$/;

/** The request body of POST/PATCH /forms. */
export function toInput(values: FormValues): CreateFormInput & { active: boolean } {
  const rules =
    values.strategy === 'rules'
      ? values.rules.map((r) => ({
          field: r.kind === 'field' ? r.fieldName.trim() : r.kind,
          equals: r.equals.trim(),
          userId: r.userId ?? '',
        }))
      : undefined;
  return {
    name: values.name.trim(),
    active: values.active,
    assignment: { strategy: values.strategy, userIds: values.userIds, ...(rules ? { rules } : { rules: [] }) },
    slaMinutes: Number(values.slaMinutes),
    allowedOrigins: originLines(values.allowedOrigins),
    thankYouText: values.thankYouText.trim() || null,
    honeypotField: values.honeypotField.trim() || null,
  };
}

/**
 * The server's `fields` paths (`assignment.userIds.0`, `assignment.rules.1.equals`, `allowedOrigins.2`) → the editor's
 * inputs. Returns the errors for the form and the ones no input shows.
 */
export function mapServerFields(fields: Record<string, string>, values: FormValues): { known: Record<string, string>; rest: string[] } {
  const known: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const parts = path.split('.');
    if (parts[0] === 'assignment') {
      if (parts[1] === 'userIds') known.userIds = message;
      else if (parts[1] === 'strategy') known.strategy = message;
      else if (parts[1] === 'rules' && parts[2] !== undefined) {
        const i = Number(parts[2]);
        const prop = parts[3];
        if (prop === 'field') known[`rules.${i}.${values.rules[i]?.kind === 'field' ? 'fieldName' : 'kind'}`] = message;
        else if (prop === 'equals' || prop === 'userId') known[`rules.${i}.${prop}`] = message;
        else known.rules = message;
      } else if (parts[1] === 'rules') known.rules = message;
      else rest.push(message);
    } else if (parts[0] === 'allowedOrigins') {
      known.allowedOrigins = parts[1] !== undefined ? `${Number(parts[1]) + 1}: ${message}` : message;
    } else if (['name', 'slaMinutes', 'thankYouText', 'honeypotField', 'active'].includes(parts[0])) {
      known[parts[0]] = message;
    } else rest.push(`${path}: ${message}`);
  }
  return { known, rest };
}
