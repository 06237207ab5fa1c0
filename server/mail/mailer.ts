/** Outgoing e-mail over SMTP (SMTP_URL), through nodemailer. Nothing else here knows SMTP. */
import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';

/** nodemailer, loaded when a mailer is made (only with SMTP_URL). */
const require = createRequire(import.meta.url);

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Give up on an SMTP server that does not answer, rather than hold the request's work. */
const SMTP_TIMEOUT_MS = 10_000;

/** A mailer for `smtp://user:pass@host:port` or `smtps://…`. */
export function smtpMailer(url: string, from: string): Mailer {
  const nodemailer = require('nodemailer') as typeof Nodemailer;
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as Parameters<typeof Nodemailer.createTransport>[0]);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}
