import { vi } from 'vitest';

/**
 * jsdom has no layout: the links table's scroll region gets the height a browser gives it
 * (600 px), so its virtualizer (which reads clientHeight) renders the rows in view.
 */
export function giveTableRegionHeight() {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this.classList.contains('table-scroll') ? 600 : 0;
  });
}
