/** The client's entry point: the zod setting the CSP needs, the theme, then the root element. */
import './app/zod-config.ts';
import './ui/theme.css';
import './app/tandem-app.ts';
import { startOutbox } from './offline/outbox.ts';
import { registerServiceWorker } from './offline/service-worker.ts';

registerServiceWorker();
startOutbox();
