import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { applyApiErrorToForm } from './forms';

function fakeForm(values: object) {
  return { setErrors: vi.fn(), getValues: () => values };
}

describe('applyApiErrorToForm', () => {
  it('puts a 400 entirely under the fields', () => {
    const form = fakeForm({ email: '', password: '' });
    const message = applyApiErrorToForm(form, new ApiError(400, 'invalid', 'Проверьте поля', { password: 'Не менее 10 символов' }));
    expect(form.setErrors).toHaveBeenCalledWith({ password: 'Не менее 10 символов' });
    expect(message).toBeNull();
  });

  it('keeps the message of a 409 for the form alert', () => {
    const form = fakeForm({ email: '' });
    const message = applyApiErrorToForm(
      form,
      new ApiError(409, 'email_taken', 'Пользователь с таким e-mail уже есть', { email: 'Этот e-mail уже занят' }),
    );
    expect(form.setErrors).toHaveBeenCalledWith({ email: 'Этот e-mail уже занят' });
    expect(message).toBe('Пользователь с таким e-mail уже есть');
  });

  it('lists fields the form does not have', () => {
    const form = fakeForm({ name: '' });
    const message = applyApiErrorToForm(form, new ApiError(400, 'invalid', 'Проверьте поля', { 'items.0.price': 'Цена' }));
    expect(message).toBe('Проверьте поля\nitems.0.price: Цена');
  });

  it('returns the message of an error without fields', () => {
    const form = fakeForm({});
    expect(applyApiErrorToForm(form, new ApiError(401, 'bad_credentials', 'Неверный e-mail или пароль'))).toBe(
      'Неверный e-mail или пароль',
    );
    expect(form.setErrors).not.toHaveBeenCalled();
  });
});
