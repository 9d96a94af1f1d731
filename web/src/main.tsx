import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client.js';
import { Shell } from './components/Shell.js';
import { AccountPage } from './pages/AccountPage.js';
import { AdvisoriesPage } from './pages/AdvisoriesPage.js';
import { AdvisoryPage } from './pages/AdvisoryPage.js';
import { CasePage } from './pages/CasePage.js';
import { CustomersPage } from './pages/CustomersPage.js';
import { MetricsPage } from './pages/MetricsPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { PoliciesPage } from './pages/PoliciesPage.js';
import { PolicyDocumentPage } from './pages/PolicyDocumentPage.js';
import { ProgramsPage } from './pages/ProgramsPage.js';
import { QueuePage } from './pages/QueuePage.js';
import { RegulatoryPage } from './pages/RegulatoryPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { TokensPage } from './pages/TokensPage.js';
import './console.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change on retry; a network hiccup might.
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      staleTime: 15_000,
    },
  },
  mutationCache: new MutationCache(),
});

const router = createBrowserRouter(
  [
    { path: '/setup', element: <SetupPage /> },
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <Shell />,
      children: [
        { index: true, element: <QueuePage /> },
        { path: 'cases/:caseNumber', element: <CasePage /> },
        { path: 'policies', element: <PoliciesPage /> },
        { path: 'policies/:program/:kind', element: <PolicyDocumentPage /> },
        { path: 'advisories', element: <AdvisoriesPage /> },
        { path: 'advisories/:publicId', element: <AdvisoryPage /> },
        { path: 'programs', element: <ProgramsPage /> },
        { path: 'programs/:slug/customers', element: <CustomersPage /> },
        { path: 'regulatory', element: <RegulatoryPage /> },
        { path: 'metrics', element: <MetricsPage /> },
        { path: 'tokens', element: <TokensPage /> },
        { path: 'account', element: <AccountPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/console' },
);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
