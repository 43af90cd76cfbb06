import type { ReactElement, ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';

/**
 * Renders `ui` as main.tsx does (its own query cache, no retries: a failing call shows its error
 * at once; `rerender` keeps the cache) with a user driving it through real DOM events.
 */
export function renderPage(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } });
  // no pause between keystrokes (a dialog of thirty fields is filled in one test), and no
  // pointer-events check: the app's stylesheet is not loaded here, and that check reads the
  // computed style of every ancestor at each click, the costliest step in jsdom
  const user = userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return { user, client, ...render(ui, { wrapper }) };
}
