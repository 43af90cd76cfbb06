import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { changeLanguage, setupI18n } from '../i18n';

/*
 * What jsdom lacks and the components use, filled in as browsers behave (not to fake the app):
 * - <dialog>'s modal API: showModal()/close() toggle `open`, and Escape on an open modal fires a
 *   cancelable `cancel` event that closes it unless prevented. What jsdom cannot give is the
 *   page's inertness (Tab kept inside): that is the browser's, checked by the e2e in Chromium.
 * - ResizeObserver (Chart.js's responsive sizing): jsdom has no layout, so nothing ever resizes.
 * - A canvas without a 2D context, as in a browser with canvas disabled (jsdom has no drawing; its
 *   own getContext only reports "not implemented").
 */
const modals: HTMLDialogElement[] = [];
HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
  this.setAttribute('open', '');
  modals.push(this);
};
HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
  if (!this.hasAttribute('open')) return;
  this.removeAttribute('open');
  modals.splice(modals.indexOf(this), 1);
  this.dispatchEvent(new Event('close'));
};
document.addEventListener('keydown', (e) => {
  const top = modals.at(-1);
  if (e.key !== 'Escape' || !top) return;
  if (top.dispatchEvent(new Event('cancel', { cancelable: true }))) top.close();
});
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

HTMLCanvasElement.prototype.getContext = () => null;

setupI18n();
// findBy*/waitFor wait up to 15 s (not 1 s): the first render of a page also transforms its modules, and a
// role query over a 50-row table took 6.5 s at load average 10 on 2 shared cores (the test's own limit is 30 s)
configure({ asyncUtilTimeout: 15_000 });

// with explicit imports (no globals), Testing Library cannot register its own cleanup
afterEach(() => {
  cleanup();
  changeLanguage('en');
  localStorage.clear();
});
