import type { ReactNode } from 'react';
import i18n from 'i18next';
import { ApiError } from './client';

/** The part of a Mantine form (`useForm`) the helpers need. */
export interface FormWithErrors {
  setErrors: (errors: Record<string, ReactNode>) => void;
  getValues: () => object;
}

/** A human message for any error thrown by the API client (or anything else). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return i18n.t('errors.unknown');
}

/**
 * Puts the server's `fields` (`{error:{fields:{path: message}}}`) under the form's inputs.
 * Returns the message for a form-level alert: null when a 400's every problem is shown at a field;
 * the server's message for other statuses (e.g. 409 «Пользователь с таким e-mail уже есть»).
 */
export function applyApiErrorToForm(form: FormWithErrors, error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.fields || Object.keys(error.fields).length === 0) {
    return errorMessage(error);
  }
  const values = form.getValues() as Record<string, unknown>;
  const known: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [path, message] of Object.entries(error.fields)) {
    if (path.split('.')[0] in values) known[path] = message;
    else unknown.push(`${path}: ${message}`);
  }
  form.setErrors(known);
  if (unknown.length > 0) return [error.message, ...unknown].join('\n');
  // A 400 is only about the inputs; other statuses (409 duplicate e-mail, 422 a business rule) say more.
  return error.status === 400 ? null : error.message;
}
