import './i18n';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../ui/StatusPage';
import FormPage from './FormPage';
import FormsListPage from './FormsListPage';
import NewFormPage from './NewFormPage';

/** Настройки → Веб-формы: /settings/forms (список), /settings/forms/new, /settings/forms/:id (код для сайта и настройки). */
export default function FormsSection() {
  return (
    <Routes>
      <Route index element={<FormsListPage />} />
      <Route path="new" element={<NewFormPage />} />
      <Route path=":id" element={<FormPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
