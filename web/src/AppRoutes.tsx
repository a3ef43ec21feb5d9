import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Role } from './api/types';
import { AuthGate } from './auth/AuthGate';
import { LoginPage } from './auth/LoginPage';
import { SetupPage } from './auth/SetupPage';
import { useCurrentUser } from './auth/useAuth';
import { hasRole } from './auth/roles';
import { HomePage } from './modules/home/HomePage';
import { modules, visibleChildren, type ModuleDefinition } from './modules/registry';
import type { PageComponent } from './modules/types';
import { ForbiddenPage, NotFoundPage } from './ui/StatusPage';

/** Renders the page only for the given roles (each list must allow the role); others get «Недостаточно прав». */
function RequireRole({ roles, children }: { roles: (readonly Role[] | undefined)[]; children: ReactNode }) {
  const user = useCurrentUser();
  return roles.every((list) => hasRole(user.role, list)) ? children : <ForbiddenPage />;
}

function Page({ component: Component }: { component: PageComponent }) {
  return <Component />;
}

/** `/settings` → its first sub-page the user may open. */
function SectionIndex({ module }: { module: ModuleDefinition }) {
  const user = useCurrentUser();
  const first = visibleChildren(module, user.role)[0];
  return first ? <Navigate to={first.path} replace /> : <ForbiddenPage />;
}

function moduleRoutes(module: ModuleDefinition) {
  const routes = (module.children ?? []).map((child) => (
    <Route
      key={child.path}
      path={`${child.path}/*`}
      element={
        <RequireRole roles={[module.roles, child.roles]}>
          <Page component={child.element} />
        </RequireRole>
      }
    />
  ));
  routes.push(
    <Route
      key={module.path}
      path={module.element ? `${module.path}/*` : module.path}
      element={
        <RequireRole roles={[module.roles]}>
          {module.element ? <Page component={module.element} /> : <SectionIndex module={module} />}
        </RequireRole>
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
