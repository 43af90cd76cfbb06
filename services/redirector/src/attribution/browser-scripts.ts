/**
 * The JavaScript the short domain serves to pages. Plain ES5-style code (no build step), kept small:
 * it runs on customers' pages. Cookies are first-party (host-only, path /) and live 90 days.
 */

export const CLICK_ID_COOKIE = 'hoko_id';
export const SESSION_COOKIE = 'hoko_vs';
export const COOKIE_MAX_AGE_SECONDS = 90 * 24 * 60 * 60;
/** What a click id or visitor session id may look like (also keeps cookie values free of separators). */
export const TOKEN_CHARS = /^[A-Za-z0-9_-]{1,64}$/;

/** Serialises a value into a script safely, even inside an inline <script> block. */
const literal = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

// Shared by /analytics.js and the embedded script: a hoko_id on the page URL is stored (replacing an older one).
const persistPageClickId = `
  var MAX_AGE = ${COOKIE_MAX_AGE_SECONDS};
  var ID = ${TOKEN_CHARS.toString()};
  function readCookie(name) {
    var rows = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < rows.length; i++) {
      var eq = rows[i].indexOf('=');
      if (rows[i].slice(0, eq) === name) return rows[i].slice(eq + 1);
    }
    return null;
  }
  function writeCookie(name, value) {
    document.cookie = name + '=' + value + '; Max-Age=' + MAX_AGE + '; Path=/; SameSite=Lax' +
      (location.protocol === 'https:' ? '; Secure' : '');
  }
  var pageClickId = null;
  try { pageClickId = new URLSearchParams(location.search).get(${literal(CLICK_ID_COOKIE)}); } catch (e) {}
  if (pageClickId && ID.test(pageClickId)) writeCookie(${literal(CLICK_ID_COOKIE)}, pageClickId);
  else pageClickId = null;`;

/** /analytics.js: stores hoko_id from the page URL; sends nothing. */
export const ANALYTICS_JS = `/* Hop browser attribution: stores hoko_id from the page URL in a first-party cookie. */
(function () {${persistPageClickId}
})();
`;

/** What a page gets when its link cannot be tracked there (wrong host, unknown or inactive link). */
export const NOOP_SCRIPT = `/* Hop embedded click tracking: not enabled for this page. */\n`;

/**
 * The embedded click script: stores a page hoko_id, keeps a visitor session id, then posts the
 * signed capture to the URL it was loaded from and stores the returned click id as hoko_id unless
 * the page URL had one or a hoko_id cookie already exists; then dispatches `hoko:embedded-click` on document.
 */
export function embedScript(captureToken: string, fallbackScriptUrl: string): string {
  return `/* Hop embedded click tracking */
(function () {${persistPageClickId}
  function newId() {
    var bytes = new Uint8Array(16), hex = '';
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var j = 0; j < 16; j++) bytes[j] = Math.floor(Math.random() * 256);
    for (var k = 0; k < 16; k++) hex += (bytes[k] < 16 ? '0' : '') + bytes[k].toString(16);
    return hex;
  }
  var session = readCookie(${literal(SESSION_COOKIE)});
  if (!session || !ID.test(session)) session = newId();
  writeCookie(${literal(SESSION_COOKIE)}, session);
  var script = document.currentScript;
  var capture = new URL((script && script.src) || ${literal(fallbackScriptUrl)});
  capture.searchParams.set('capture', ${literal(captureToken)});
  capture.searchParams.set('url', location.href);
  capture.searchParams.set('vs', session);
  if (document.referrer) capture.searchParams.set('referrer', document.referrer);
  // Lets the page (and tests) know the outcome: detail.clickId is null when no click was recorded.
  function done(clickId) {
    document.dispatchEvent(new CustomEvent('hoko:embedded-click', { detail: { clickId: clickId } }));
  }
  fetch(capture.toString(), { method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      var clickId = body && body.clickId && ID.test(body.clickId) ? body.clickId : null;
      if (clickId && !pageClickId && !readCookie(${literal(CLICK_ID_COOKIE)})) writeCookie(${literal(CLICK_ID_COOKIE)}, clickId);
      done(clickId);
    })
    .catch(function () { done(null); });
})();
`;
}
