import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ComponentType } from 'react';
import { changeLanguage, useI18n } from './i18n';
import { hrefOf, pageOf, PAGES, usePage, type Page } from './router';
import { useSession } from './session';
import { AcceptInvitation } from './pages/AcceptInvitation';
import { SignIn } from './pages/SignIn';

/**
 * A page's code loads on its first visit, so each page downloads and runs only its own script
 * (the links table's libraries stay off the analytics page, the chart library off the links page).
 * The page in the address bar at start loads alongside the session check instead of after it.
 */
const pageAtStart = pageOf(location.pathname);
function pageCode<P extends object>(page: Page, load: () => Promise<ComponentType<P>>) {
  const loadPage = () => load().then((component) => ({ default: component }));
  const first = page === pageAtStart ? loadPage() : null;
  return lazy(() => first ?? loadPage());
}
const Links = pageCode('links', () => import('./pages/Links').then((m) => m.Links));
const Collections = pageCode('collections', () => import('./pages/catalog/Collections').then((m) => m.Collections));
const Customers = pageCode('customers', () => import('./pages/catalog/Customers').then((m) => m.Customers));
const Partners = pageCode('partners', () => import('./pages/catalog/Partners').then((m) => m.Partners));
const Tags = pageCode('tags', () => import('./pages/catalog/Tags').then((m) => m.Tags));
const Settings = pageCode('settings', () => import('./pages/Settings').then((m) => m.Settings));
const Analytics = pageCode('analytics', () => import('./pages/Analytics').then((m) => m.Analytics));

/** Where the gateway's invitation links point. */
const INVITATION_PATH = '/app/invitations/accept';

function LanguageSwitch() {
  const { t, language } = useI18n();
  return (
    <div className="field inline">
      <label htmlFor="language">{t('app.language')}</label>
      <select id="language" value={language} onChange={(e) => changeLanguage(e.target.value === 'ar' ? 'ar' : 'en')}>
        <option value="en" lang="en">
          English
        </option>
        <option value="ar" lang="ar">
          العربية
        </option>
      </select>
    </div>
  );
}

export function App() {
  const { t } = useI18n();
  const { me, loading, workspaceId, selectWorkspace, signOut } = useSession();
  const [page, go] = usePage();
  const [announcement, setAnnouncement] = useState('');
  const [invitation, setInvitation] = useState(() => location.pathname === INVITATION_PATH);
  const announce = useCallback((text: string) => setAnnouncement(text), []);
  const heading = useRef<HTMLDivElement>(null);

  const shownPage = useRef(page);
  useEffect(() => {
    if (shownPage.current === page) return;
    shownPage.current = page;
    heading.current?.focus();
  }, [page]);
  useEffect(() => {
    document.title = `${t(`nav.${page}`)} · ${t('app.name')}`;
  }, [page, t]);

  if (loading) return <p role="status">{t('app.loading')}</p>;
  const header = (
    <header className="top">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <strong className="brand">{t('app.name')}</strong>
      {me && (
        <nav aria-label={t('app.nav')}>
          <ul>
            {PAGES.map((p) => (
              <li key={p}>
                <a
                  href={hrefOf(p)}
                  aria-current={p === page ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(p);
                  }}
                >
                  {t(`nav.${p}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="spacer" />
      {me && workspaceId && (
        <div className="field inline">
          <label htmlFor="workspace">{t('app.workspace')}</label>
          <select id="workspace" value={workspaceId} onChange={(e) => selectWorkspace(e.target.value)}>
            {me.workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <LanguageSwitch />
      {me && (
        <button type="button" onClick={() => void signOut().catch(() => announce(t('common.error')))}>
          {t('app.signOut')}
        </button>
      )}
    </header>
  );
  let content;
  if (invitation) {
    const accepted = () => {
      setInvitation(false);
      go('links');
    };
    content = <AcceptInvitation onAccepted={accepted} />;
  }
  else if (!me) content = <SignIn />;
  else if (!workspaceId) content = <main id="main"><p>{t('signIn.noWorkspace')}</p></main>;
  else if (page === 'analytics')
    content = (
      <Suspense fallback={<p>{t('app.loading')}</p>}>
        <Analytics />
      </Suspense>
    );
  else if (page === 'settings') content = <Settings announce={announce} />;
  else if (page === 'collections') content = <Collections announce={announce} />;
  else if (page === 'tags') content = <Tags announce={announce} />;
  else if (page === 'partners') content = <Partners announce={announce} />;
  else if (page === 'customers') content = <Customers />;
  else content = <Links announce={announce} />;
  return (
    <>
      {header}
      {/* focus lands here after navigation, so screen readers start at the new page */}
      <div ref={heading} tabIndex={-1} className="page" key={`${workspaceId}-${page}`}>
        <Suspense fallback={<p role="status">{t('app.loading')}</p>}>{content}</Suspense>
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}
