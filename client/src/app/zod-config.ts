/**
 * Imported first by main.ts. Zod probes `new Function('')` once to choose a compiled parser;
 * the page's Content-Security-Policy has no 'unsafe-eval', so the probe is refused and
 * reported as a violation. Jitless mode never probes (and the parsers it uses are fine for the
 * client's few, small inputs).
 */
import { z } from 'zod';

z.config({ jitless: true });
