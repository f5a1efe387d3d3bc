// The effective configuration page: the state in force as ipvsadm rules and as keepalived.conf, refetched when the
// configuration changes while the page is shown.

import { getText } from './api.js';
import { byId, setText } from './dom.js';
import { askForToken, tokenMessage } from './token.js';
import { subscribe } from './state.js';

export function createEffectiveConfig() {
  let visible = false;

  async function load() {
    setText(byId('config-error'), '');
    try {
      const [ipvsadm, keepalived] = await Promise.all([getText('config/ipvsadm'), getText('config/keepalived')]);
      setText(byId('config-ipvsadm'), ipvsadm || '(no virtual service)');
      setText(byId('config-keepalived'), keepalived || '(no virtual service)');
    } catch (e) {
      if (e.needsToken) askForToken(e);
      setText(byId('config-error'), e.needsToken ? tokenMessage(e) : 'Cannot read the configuration: ' + e.message);
    }
  }

  subscribe('services', () => {
    if (visible) load();
  });
  return {
    show() {
      visible = true;
      load();
    },
    hide() {
      visible = false;
    },
  };
}
