import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AuthGate } from './auth/AuthGate';
import { LoginPage } from './auth/LoginPage';
import { SetupPage } from './auth/SetupPage';
import { useCurrentUser } from './auth/useAuth';
import { useAccess } from './auth/permissions';
import { HomePage } from './modules/home/HomePage';
import { allowed, modules, visibleChildren, type ModuleDefinition } from './modules/registry';
import type { PageComponent, SubPage } from './modules/types';
import { ForbiddenPage, NotFoundPage } from './ui/StatusPage';

/** Renders the page only if the section (and sub-page) allow the user; others get «Недостаточно прав». */
function RequireAccess({ pages, children }: { pages: Pick<SubPage, 'roles' | 'access'>[]; children: ReactNode }) {
  const user = useCurrentUser();
  const access = useAccess();
  return pages.every((page) => allowed(page, user.role, access)) ? children : <ForbiddenPage />;
}

function Page({ component: Component }: { component: PageComponent }) {
  return <Component />;
}

/** `/settings` → its first sub-page the user may open. */
function SectionIndex({ module }: { module: ModuleDefinition }) {
  const user = useCurrentUser();
  const access = useAccess();
  const first = visibleChildren(module, user.role, access)[0];
  return first ? <Navigate to={first.path} replace /> : <ForbiddenPage />;
}

function moduleRoutes(module: ModuleDefinition) {
  const routes = (module.children ?? []).map((child) => (
    <Route
      key={child.path}
      path={`${child.path}/*`}
      element={
        <RequireAccess pages={[module, child]}>
          <Page component={child.element} />
        </RequireAccess>
      }
    />
  ));
  routes.push(
    <Route
      key={module.path}
      path={module.element ? `${module.path}/*` : module.path}
      element={
        <RequireAccess pages={[module]}>
          {module.element ? <Page component={module.element} /> : <SectionIndex module={module} />}
        </RequireAccess>
      }
    />,
  );
  return routes;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/setup" element={<SetupPage />} />
      <Route element={<AuthGate />}>
        <Route index element={<HomePage />} />
        {modules.flatMap(moduleRoutes)}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
