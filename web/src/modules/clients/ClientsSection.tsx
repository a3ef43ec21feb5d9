import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../ui/StatusPage';
import { ClientCardPage } from './card/ClientCardPage';
import { ClientsListPage } from './list/ClientsListPage';
import { SearchPage } from './search/SearchPage';
import { useClientsLiveRefresh } from './live';
import './i18n';

/** `/clients/*`: the list, the global search page and the client card. */
export default function ClientsSection() {
  useClientsLiveRefresh();
  return (
    <Routes>
      <Route index element={<ClientsListPage />} />
      <Route path="search" element={<SearchPage />} />
      <Route path=":id" element={<ClientCardPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
