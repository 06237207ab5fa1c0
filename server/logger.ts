import pino, { type Logger } from 'pino';

/**
 * Structured logs. Secrets never reach them: we never log headers or bodies,
 * and these paths are redacted should an object carry them anyway.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'currentPassword',
  'newPassword',
  '*.currentPassword',
  '*.newPassword',
  'token',
  '*.token',
  'cookie',
  '*.cookie',
  'headers.cookie',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'secret',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
