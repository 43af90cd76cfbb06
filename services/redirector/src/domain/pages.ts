import type { Route } from './route';

/** Small self-contained HTML pages the redirector serves to visitors (no scripts from elsewhere, no internals). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE =
  'body{font-family:system-ui,-apple-system,sans-serif;max-width:28rem;margin:15vh auto;padding:0 1rem;color:#222}' +
  'h1{font-size:1.4rem}p{color:#555}input,button{font:inherit;padding:.5rem;margin:.25rem 0;width:100%;box-sizing:border-box}' +
  '.error{color:#b00020}';

function page(title: string, body: string, head = ''): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)}</title>${head}<style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

export const notFoundPage = () => page('Link not found', '<h1>Link not found</h1><p>This short link does not exist or was removed.</p>');
/** `/` of a branded domain without a rootRedirectUrl. */
export const domainRootPage = (domain: string) => page(domain, `<h1>${escapeHtml(domain)}</h1><p>Short links live here.</p>`);
export const pausedPage = () => page('Link paused', '<h1>Link paused</h1><p>This short link is not active right now.</p>');
export const expiredPage = () => page('Link expired', '<h1>Link expired</h1><p>This short link has expired.</p>');
export const unavailablePage = () => page('Try again', '<h1>Temporarily unavailable</h1><p>Please try again in a moment.</p>');
export const badRequestPage = (reason: string) => page('Bad request', `<h1>Bad request</h1><p>${escapeHtml(reason)}</p>`);

export type PasswordProblem = 'wrong' | 'locked' | null;

export function passwordPage(action: string, problem: PasswordProblem): string {
  const message =
    problem === 'wrong'
      ? '<p class="error" role="alert">Wrong password, try again.</p>'
      : problem === 'locked'
        ? '<p class="error" role="alert">Too many attempts. Try again later.</p>'
        : '';
  return page(
    'Password required',
    `<h1>This link is password protected</h1>${message}` +
      `<form method="post" action="${escapeHtml(action)}">` +
      `<label for="password">Password</label>` +
      `<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>` +
      `<button type="submit">Continue</button></form>`,
  );
}

/** The destination framed full-page, so the address bar keeps the short URL. */
export function cloakPage(destination: string, title: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%}</style></head>` +
    `<body><iframe src="${escapeHtml(destination)}" title="${escapeHtml(title)}" allowfullscreen></iframe></body></html>`
  );
}

/** Navigates to the destination from a page whose referrer policy strips the referrer. */
export function hideReferrerPage(destination: string): string {
  const href = escapeHtml(destination);
  return page(
    'Redirecting…',
    `<p>Redirecting… <a href="${href}" rel="noreferrer">continue</a></p>`,
    `<meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}">`,
  );
}

export interface Preview {
  title: string | null;
  description: string | null;
  image: string | null;
}

/** What social crawlers should show: the social fields, else the link's title/description/image. */
export function previewOf(route: Route): Preview | null {
  const preview = {
    title: route.socialTitle || route.title || null,
    description: route.socialDescription || route.description || null,
    image: route.socialImage || route.image || null,
  };
  return preview.title || preview.description || preview.image ? preview : null;
}

/** OpenGraph/Twitter card tags for link unfurlers; `shortUrl` is og:url so crawlers stay on the short link. */
export function previewPage(preview: Preview, shortUrl: string): string {
  const tags: string[] = [`<meta property="og:url" content="${escapeHtml(shortUrl)}">`, '<meta property="og:type" content="website">'];
  const add = (key: string, value: string | null) => {
    // OpenGraph uses property=, Twitter cards use name=.
    if (value) tags.push(`<meta ${key.startsWith('og:') ? 'property' : 'name'}="${key}" content="${escapeHtml(value)}">`);
  };
  add('og:title', preview.title);
  add('og:description', preview.description);
  add('og:image', preview.image);
  tags.push(`<meta name="twitter:card" content="${preview.image ? 'summary_large_image' : 'summary'}">`);
  add('twitter:title', preview.title);
  add('twitter:description', preview.description);
  add('twitter:image', preview.image);
  if (preview.description) tags.push(`<meta name="description" content="${escapeHtml(preview.description)}">`);
  return page(
    preview.title ?? shortUrl,
    `<h1>${escapeHtml(preview.title ?? shortUrl)}</h1>${preview.description ? `<p>${escapeHtml(preview.description)}</p>` : ''}`,
    tags.join(''),
  );
}
