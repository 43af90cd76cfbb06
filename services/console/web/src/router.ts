import { useEffect, useState } from 'react';

export const PAGES = ['links', 'collections', 'tags', 'partners', 'customers', 'analytics', 'settings'] as const;
export type Page = (typeof PAGES)[number];

const BASE = '/app';

export function pageOf(pathname: string): Page {
  const name = pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length + 1).split('/')[0] : '';
  return PAGES.find((page) => page === name) ?? 'links';
}

export const hrefOf = (page: Page) => `${BASE}/${page}`;

/** The page in the address bar; links within the console change it without reloading. */
export function usePage(): [Page, (page: Page) => void] {
  const [page, setPage] = useState(() => pageOf(location.pathname));
  useEffect(() => {
    const onPop = () => setPage(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Page) => {
    history.pushState(null, '', hrefOf(next));
    setPage(next);
  };
  return [page, go];
}
