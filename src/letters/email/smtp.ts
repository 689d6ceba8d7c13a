// The SMTP transport of letter e-mails (nodemailer), Node only: Workers open no raw SMTP socket.
// Each failure is told apart by whether the server can have accepted the message: only a failure
// that certainly left it unaccepted may be retried, so that one delivery is never two e-mails.
import nodemailer from "nodemailer";
import type { Mailer, MailReceipt, OutgoingMail } from "../services.js";

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/**
 * `transient`: the server did not accept the message and may later (4xx, or no connection at all);
 * `permanent`: it refused for good (5xx, a bad address); `unknown`: the connection failed after
 * the message may have been accepted — never retried.
 */
export type MailFailure = "transient" | "permanent" | "unknown";

export class MailError extends Error {
  constructor(
    message: string,
    readonly failure: MailFailure,
  ) {
    super(message);
    this.name = "MailError";
  }
}

interface SmtpErrorFields {
  responseCode?: number;
  code?: string;
  originalCode?: string;
  command?: string;
}

/** System errors that happen before a connection exists: nothing was sent. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function classifyFailure(error: unknown): MailFailure {
  const fields = (error ?? {}) as SmtpErrorFields;
  if (typeof fields.responseCode === "number") {
    return fields.responseCode >= 400 && fields.responseCode < 500 ? "transient" : "permanent";
  }
  if (fields.code === "EDNS" || NEVER_CONNECTED.has(fields.originalCode ?? fields.code ?? "")) {
    return "transient";
  }
  if (fields.code === "EENVELOPE" || fields.code === "EAUTH") return "permanent";
  return "unknown";
}

export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail: OutgoingMail): Promise<MailReceipt> {
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          attachments: [
            {
              filename: mail.attachment.filename,
              content: Buffer.from(mail.attachment.content),
              contentType: "application/pdf",
            },
          ],
        });
        return { messageId: info.messageId };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new MailError(message, classifyFailure(error));
      }
    },
  };
}
