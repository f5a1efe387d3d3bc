// The console's start: the pages, the router, the token field, the first reads and the live event stream.

import { byId, setText } from './dom.js';
import { createCharts } from './charts.js';
import { createConnections } from './connections.js';
import { createDaemonLog } from './daemon-log.js';
import { createEffectiveConfig } from './effective-config.js';
import { createLayer7Page } from './layer7.js';
import { record } from './history.js';
import { createOverview } from './overview.js';
import { createRouter } from './router.js';
import { createServicesPage } from './services-page.js';
import { applyStats, refreshServices, refreshStatus, subscribe } from './state.js';
import { openEventStream } from './stream.js';
import { askForToken, setUpTokenField } from './token.js';

const STATUS_EVERY_MS = 10000; // VRRP transitions come with no change event: the status is read again this often

const LIVE_TEXT = { connecting: 'connecting…', live: 'live', offline: 'offline, retrying' };

function showLiveState(liveState, reason) {
  const node = byId('live-state');
  node.dataset.state = liveState;
  setText(node, LIVE_TEXT[liveState] || liveState);
  node.title = reason || '';
}

const daemonLog = createDaemonLog();
let router = null;
router = createRouter({
  overview: createOverview(),
  charts: createCharts(),
  services: createServicesPage(),
  connections: createConnections({ navigate: (name, query) => router.navigate(name, query) }),
  layer7: createLayer7Page(),
  config: createEffectiveConfig(),
});

subscribe('error', (error) => {
  if (error.needsToken) askForToken(error);
  else showLiveState('offline', error.message);
});

let closeStream = null;
function startStream() {
  if (closeStream) closeStream();
  closeStream = openEventStream({
    onEvent(type, data) {
      if (type === 'stats') {
        record(data);
        applyStats(data);
      } else if (type === 'change') {
        refreshServices();
        refreshStatus();
      } else if (type === 'log') {
        daemonLog.add(data);
      }
    },
    onState(liveState, reason) {
      showLiveState(liveState, reason);
      if (liveState === 'live') {
        refreshServices(); // changes and log events missed while the stream was down
        daemonLog.load();
      }
    },
  });
}

setUpTokenField(() => {
  startStream();
  refreshServices();
  refreshStatus();
});
router.start();
refreshServices();
refreshStatus();
startStream();
setInterval(refreshStatus, STATUS_EVERY_MS);
