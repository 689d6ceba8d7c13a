// What letters need from the outside world beyond fonts: signing keys, the public address printed
// in QR codes, and an SMTP transport. Built once at start (setup-node.ts, setup-worker.ts) and
// injected; absent in a deployment without them, when letters are issued as before (unsigned, no
// QR) and e-mail delivery is refused.
import type { LetterRenderer } from "./renderer.js";
import type { SigningKeys } from "./signing/keys.js";

/** One e-mail with the letter attached, as the transport sends it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  attachment: { filename: string; content: Uint8Array };
}

export interface MailReceipt {
  messageId: string;
}

/** Sends one message; throws a MailError when the server did not accept it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<MailReceipt>;
}

export interface LetterServices {
  signing: SigningKeys;
  /** "https://motcua.khanhhoa.gov.vn": printed letters link to `${publicBaseUrl}/tra-cuu/{token}`. */
  publicBaseUrl: string | null;
  mailer: Mailer | null;
  /** Waits before the 2nd, 3rd… attempt of a transient e-mail failure; default 1 s, 4 s. */
  mailRetryDelaysMs?: readonly number[];
}

export const NO_LETTER_SERVICES: LetterServices = {
  signing: { province: null, agencies: new Map() },
  publicBaseUrl: null,
  mailer: null,
};

declare module "../http/context.js" {
  interface AppDeps {
    /** Letters' signing keys, public address for QR codes, SMTP; absent: unsigned, no QR, no e-mail. */
    letters?: LetterServices;
    /** Draws the letters issued and corrected (render-thread.ts on Node); absent: in the request's own thread. */
    letterRenderer?: LetterRenderer;
  }
}
