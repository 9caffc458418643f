import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { AppConfig } from '../config/app-config';

export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'log';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP_URL set: nodemailer over SMTP. Unset: in development the message is logged and written as an
 * .eml file; in production only the recipient and subject are logged.
 */
export function createMailTransport(config: AppConfig): MailTransport {
  const { smtpUrl, from, outboxDir } = config.mail;
  if (smtpUrl) {
    const smtp = createTransport(smtpUrl, { from });
    return {
      kind: 'smtp',
      send: async (mail) => {
        await smtp.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.id}@chop-chop>` });
      },
      close: () => smtp.close(),
    };
  }
  const logger = new Logger('Mail');
  if (config.production) {
    // Links carry single-use tokens: a production log gets who and what, never the message itself.
    return {
      kind: 'log',
      send: (mail) => {
        logger.warn(`SMTP_URL is unset: e-mail "${mail.subject}" to ${mail.to} was not delivered`);
        return Promise.resolve();
      },
      close: () => undefined,
    };
  }
  // Development: the whole message in the log and as an .eml file, links included, to click through.
  const stream = createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
  return {
    kind: 'log',
    send: async (mail) => {
      const info = await stream.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
      await mkdir(outboxDir, { recursive: true });
      const file = join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.id}.eml`);
      await writeFile(file, info.message as Buffer);
      logger.log(`e-mail to ${mail.to} (${file})\nSubject: ${mail.subject}\n\n${mail.text}`);
    },
    close: () => stream.close(),
  };
}
