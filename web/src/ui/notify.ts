import { notifications } from '@mantine/notifications';
import i18n from 'i18next';
import { errorMessage } from '../api/forms';

export function notifySuccess(message: string) {
  notifications.show({ color: 'green', message, autoClose: 3000 });
}

/** Shows the server's message of a failed action that has no form to put it in. */
export function notifyError(error: unknown) {
  notifications.show({ color: 'red', title: i18n.t('errors.title'), message: errorMessage(error), autoClose: 8000 });
}
