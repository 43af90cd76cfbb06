import { ar, en } from './messages';
import * as catalog from './messages/catalog';
import * as linkExtras from './messages/link-extras';
import { mergeMessages, type MessageTree } from './messages/merge';
import * as settingsEdit from './messages/settings-edit';
import * as workspaceSettings from './messages/workspace-settings';

/**
 * Every string module of the console: the base messages and each page's own, kept apart so the
 * pages' strings grow without two people editing one file. A key defined twice fails at start.
 */
export const MESSAGE_MODULES: { name: string; en: MessageTree; ar: MessageTree }[] = [
  { name: 'messages', en, ar },
  { name: 'catalog', en: catalog.en, ar: catalog.ar },
  { name: 'link-extras', en: linkExtras.en, ar: linkExtras.ar },
  { name: 'workspace-settings', en: workspaceSettings.en, ar: workspaceSettings.ar },
  { name: 'settings-edit', en: settingsEdit.en, ar: settingsEdit.ar },
];

export const resources = {
  en: { translation: mergeMessages(...MESSAGE_MODULES.map((m) => m.en)) },
  ar: { translation: mergeMessages(...MESSAGE_MODULES.map((m) => m.ar)) },
};
