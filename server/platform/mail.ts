/**
 * Outgoing mail over SMTP (VORONKA_SMTP_URL, e.g. `smtps://user:password@smtp.yandex.ru:465?from=sales@firma.ru`).
 * The `from` query parameter sets the sender address; without it the SMTP user (when it is an e-mail) is used.
 * Modules call `sendMail(ctx.config, message)`; without a configured URL it throws 422 `smtp_not_configured`.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { AppError } from './errors.js';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Display name of the sender, e.g. the company name. */
  fromName?: string;
  replyTo?: string;
  attachments?: MailAttachment[];
}

interface Sender {
  transport: Transporter;
  from: string;
}

const senders = new Map<string, Sender>();

export function mailConfigured(config: Pick<Config, 'smtpUrl'>): boolean {
  return !!config.smtpUrl;
}

/** The transport and sender address of an SMTP URL (cached per URL). */
function senderFor(smtpUrl: string, publicUrl: string): Sender {
  let sender = senders.get(smtpUrl);
  if (sender) return sender;
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new AppError('smtp_not_configured', {
      message: 'VORONKA_SMTP_URL задан неверно: ожидается адрес вида smtp://логин:пароль@сервер:порт',
      messageEn: 'VORONKA_SMTP_URL is malformed: expected smtp://user:password@host:port',
    });
  }
  const fromParam = url.searchParams.get('from');
  url.searchParams.delete('from');
  const user = decodeURIComponent(url.username);
  let host = 'localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    /* keep localhost */
  }
  const from = fromParam || (user.includes('@') ? user : `voronka@${host}`);
  const transport = nodemailer.createTransport(url.toString(), {
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  } as any);
  sender = { transport, from };
  senders.set(smtpUrl, sender);
  return sender;
}

/** Sends one message; 422 `smtp_not_configured` without VORONKA_SMTP_URL, 502 `mail_failed` when the server refuses. */
export async function sendMail(config: Pick<Config, 'smtpUrl' | 'publicUrl'>, message: MailMessage): Promise<{ messageId: string }> {
  if (!config.smtpUrl) throw new AppError('smtp_not_configured');
  const { transport, from } = senderFor(config.smtpUrl, config.publicUrl);
  try {
    const info = await transport.sendMail({
      from: message.fromName ? { name: message.fromName, address: from } : from,
      to: message.to,
      replyTo: message.replyTo,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    });
    return { messageId: String(info.messageId ?? '') };
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).slice(0, 300);
    throw new AppError('mail_failed', {
      message: `Не удалось отправить письмо: ${reason}`,
      messageEn: `Could not send the message: ${reason}`,
      details: { reason },
    });
  }
}
