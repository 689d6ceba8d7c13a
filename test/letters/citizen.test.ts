// What a citizen gets, over real HTTP with a fixed clock: the issued letter signed with the test CA
// (the download byte-identical to what was stored, valid for pdfsig and the JS verifier), its QR
// code read off the rendered page leading to the public status page without personal data, a
// revoked or random token 404, the page rate-limited, and the signed PDF e-mailed to a local SMTP
// server byte for byte — once per Idempotency-Key, transient failures retried.
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpMailer } from "../../src/letters/email/smtp.js";
import type { LetterServices } from "../../src/letters/services.js";
import { identityFromPkcs12 } from "../../src/letters/signing/identity.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { signIn } from "../console/session.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";
import { createTestCa, type TestCa } from "./helpers/test-ca.js";
import { decodeQrCodes, pdfsig, verifyWithForge } from "./helpers/verify.js";

const at = (local: string) => new Date(`${local}+07:00`);
const clock = fixedClock(at("2025-02-06T14:00:00"));
const code = (n: number) => `000.20.20.H47-250124-${String(n).padStart(4, "0")}`;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const APPLICANT = {
  name: "Đặng Thị Ánh Tuyết",
  idNumber: "079190012345",
  email: "tuyet@example.vn",
  address: "12 Lê Lợi, thôn Phước Hà",
  phone: "0987654321",
};

interface Letter {
  id: number;
  sha256: string;
  version: number;
  statusPath: string | null;
  signature: { signerName: string; level: string } | null;
}

/** A local SMTP server: what it received, and the answers to give to the next messages. */
interface Inbox {
  messages: { to: string[]; raw: string }[];
  /** SMTP replies for the next DATA commands, e.g. 451 once: then the default, 250. */
  nextReplies: number[];
  port: number;
  close(): Promise<void>;
}

async function startInbox(): Promise<Inbox> {
  const inbox = { messages: [], nextReplies: [] } as unknown as Inbox;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const reply = inbox.nextReplies.shift() ?? 250;
        if (reply !== 250) {
          const error = Object.assign(new Error(`refused with ${reply}`), { responseCode: reply });
          callback(error);
          return;
        }
        inbox.messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("latin1"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  inbox.port = (server.server.address() as AddressInfo).port;
  inbox.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return inbox;
}

/** The attached PDF of a raw message (nodemailer writes it base64 in its own part). */
function attachedPdf(raw: string): Buffer {
  const match =
    /Content-Type: application\/pdf[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(raw);
  if (!match) throw new Error("no PDF attachment");
  return Buffer.from(match[1].replace(/\r\n/g, ""), "base64");
}

let server: SeededServer;
let tokens: Tokens;
let ca: TestCa;
let inbox: Inbox;
let services: LetterServices;
let letter: Letter;

beforeAll(async () => {
  ca = createTestCa();
  inbox = await startInbox();
  const province = await identityFromPkcs12(
    ca.issue({ commonName: "UBND tỉnh Khánh Hòa", organization: "UBND tỉnh Khánh Hòa" }, "p"),
    "p",
    "province",
  );
  const own = await identityFromPkcs12(
    ca.issue({ commonName: "Lê Văn Cường", organization: AGENCIES.A.name }, "p"),
    "p",
    "A",
  );
  services = {
    signing: { province, agencies: new Map([[AGENCIES.A.code, own]]) },
    publicBaseUrl: null,
    mailer: smtpMailer({ host: "127.0.0.1", port: inbox.port, secure: false, from: "motcua@example.vn" }),
    mailRetryDelaysMs: [20, 20],
  };
  server = await startSeededServer({ clock, deps: { letters: services }, procedures: [BUILDING_PERMIT] });
  // The QR code must lead back to this server: its address is known once it listens.
  services.publicBaseUrl = server.baseUrl;
  ({ tokens } = server);
  await ok(
    await server.request(`/api/v1/agencies/${AGENCIES.A.code}`, {
      method: "PUT",
      token: ADMIN_TOKEN,
      json: {
        name: AGENCIES.A.name,
        shortCode: AGENCIES.A.shortCode,
        parentCode: AGENCIES.A.parentCode,
        address: "Thôn Tân Mỹ, xã Lâm Sơn, tỉnh Khánh Hòa",
        feedbackUrl: "https://dichvucong.khanhhoa.gov.vn/phan-anh",
      },
    }),
  );
  const applicant = { ...(canonicalRecord().applicant as object), ...APPLICANT };
  await server.sync([1, 2, 3].map((n) => canonicalRecord({ code: code(n), applicant })));
  letter = await issue(code(1));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await inbox?.close();
});

async function issue(dossier: string): Promise<Letter> {
  const res = await server.request(`/api/v1/dossiers/${dossier}/apology`, {
    method: "POST",
    token: tokens.officerA,
    json: {
      reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế",
      newDueAt: "2025-02-12T16:30:00+07:00",
      signerName: "Lê Văn Cường",
      signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    },
  });
  return (await ok(res, [201])) as Letter;
}

async function download(id: number, version?: number): Promise<Buffer> {
  const res = await server.request(`/api/v1/letters/${id}/pdf${version ? `?version=${version}` : ""}`, {
    token: tokens.officerA,
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("the issued letter", () => {
  it("is signed with the agency's own key; the download is the stored, signed bytes, every time", async () => {
    expect(letter.signature).toMatchObject({ level: "PAdES-B-B", signerName: "Lê Văn Cường" });
    const first = await download(letter.id);
    const again = await download(letter.id);
    expect(again.equals(first)).toBe(true);
    expect(sha256(first)).toBe(letter.sha256);
    expect(pdfsig(first)).toContain("Signature Validation: Signature is Valid.");
    expect(pdfsig(first)).toContain("Total document signed");
    expect(verifyWithForge(first, ca.rootDer)).toEqual({ valid: true, signerName: "Lê Văn Cường" });
  });
});

describe("the QR code and the status page", () => {
  it("leads from the rendered page to a public page with the dossier and no personal data", async () => {
    const pdf = await download(letter.id);
    const [url] = decodeQrCodes(pdf);
    expect(url).toBe(`${server.baseUrl}${letter.statusPath}`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = (await res.text()).normalize("NFC");
    for (const fact of [
      code(1),
      "Cấp giấy phép xây dựng",
      AGENCIES.A.name,
      "24/01/2025 10:00",
      "12/02/2025 16:30",
      "07/02/2025 10:00",
      "Sắp đến hạn",
      "Chưa có kết quả",
      letter.sha256,
      "Lê Văn Cường",
      "CA thử nghiệm Một cửa",
      "Thôn Tân Mỹ, xã Lâm Sơn, tỉnh Khánh Hòa",
      "https://dichvucong.khanhhoa.gov.vn/phan-anh",
    ]) {
      expect(html).toContain(fact);
    }
    for (const personal of Object.values(APPLICANT)) {
      expect(html).not.toContain(personal);
    }
  });

  it("answers 404 for a random token and for malformed ones", async () => {
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
    expect((await fetch(`${server.baseUrl}/tra-cuu/${random}`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/tra-cuu/' OR 1=1 --`)).status).toBe(404);
  });

  it("is revoked by a correction that asks, and the new, signed version prints a new link", async () => {
    const own = await issue(code(2));
    const res = await server.request(`/api/v1/letters/${own.id}/corrections`, {
      method: "POST",
      token: tokens.officerA,
      json: { reason: "Sai chức vụ người ký", changes: { signerTitle: "CHỦ TỊCH" }, revokeStatusLink: true },
    });
    const corrected = (await ok(res, [201])) as Letter;
    expect(corrected.statusPath).not.toBe(own.statusPath);
    expect((await fetch(`${server.baseUrl}${own.statusPath}`)).status).toBe(404);
    const pdf = await download(own.id, 2);
    expect(decodeQrCodes(pdf)).toEqual([`${server.baseUrl}${corrected.statusPath}`]);
    expect(pdfsig(pdf)).toContain("Signature is Valid");
    const page = await (await fetch(`${server.baseUrl}${corrected.statusPath}`)).text();
    expect(page).toContain(corrected.sha256);
  });
});

describe("e-mail delivery", () => {
  const deliver = (key: string, json: Record<string, unknown> = { channel: "email" }) =>
    server.request(`/api/v1/letters/${letter.id}/deliveries`, {
      method: "POST",
      token: tokens.officerA,
      headers: { "idempotency-key": key },
      json,
    });

  it("sends the signed PDF, byte-identical to the stored one, to the applicant's address, once per key", async () => {
    const before = inbox.messages.length;
    const res = await deliver("send-1");
    const delivery = (await ok(res, [201])) as Record<string, unknown>;
    expect(delivery).toMatchObject({
      channel: "email",
      status: "sent",
      recipient: APPLICANT.email,
      attempts: 1,
    });
    expect(delivery.messageId).toMatch(/^<.+@.+>$/);
    expect(inbox.messages.length).toBe(before + 1);
    const received = inbox.messages[inbox.messages.length - 1];
    expect(received.to).toEqual([APPLICANT.email]);
    expect(attachedPdf(received.raw).equals(await download(letter.id))).toBe(true);
    expect(delivery.sha256).toBe(letter.sha256);
    // A retry with the same key: the same delivery, nothing sent again.
    const retried = await deliver("send-1");
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual(delivery);
    expect(inbox.messages.length).toBe(before + 1);
  });

  it("retries a transient refusal (451) and records the attempts; a permanent one (550) is not retried", async () => {
    const before = inbox.messages.length;
    inbox.nextReplies.push(451);
    const sent = (await ok(
      await deliver("send-2", { channel: "email", to: "other@example.vn" }),
      [201],
    )) as Record<string, unknown>;
    expect(sent).toMatchObject({ status: "sent", attempts: 2, recipient: "other@example.vn" });
    expect(inbox.messages.length).toBe(before + 1);
    inbox.nextReplies.push(550);
    const failed = (await ok(await deliver("send-3"), [201])) as Record<string, unknown>;
    expect(failed).toMatchObject({ status: "failed", attempts: 1, messageId: null });
    expect(String(failed.lastError)).toMatch(/^permanent: .*550/);
    expect(inbox.messages.length).toBe(before + 1);
  });

  it("sends once when the same key arrives twice at the same time", async () => {
    const before = inbox.messages.length;
    const answers = await Promise.all([deliver("send-4"), deliver("send-4")]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 201]);
    // The 200 may have answered while the 201 was still sending; wait for the send to settle.
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    expect(inbox.messages.length).toBe(before + 1);
  });

  it("lists the e-mail deliveries with their outcome on the letter", async () => {
    const detail = (await ok(
      await server.request(`/api/v1/letters/${letter.id}`, { token: tokens.officerA }),
    )) as {
      deliveries: { status: string; channel: string }[];
    };
    expect(detail.deliveries.filter((d) => d.channel === "email").map((d) => d.status)).toEqual(
      expect.arrayContaining(["sent", "failed"]),
    );
  });

  it("never logs the citizen's address", () => {
    expect(server.logs.join("\n")).not.toContain(APPLICANT.email);
  });
});

describe("the console's letter page", () => {
  it("says the letter is signed, shows its hash and status link, and e-mails it once per form", async () => {
    const officer = await signIn(server, tokens.officerA);
    const page = (await (await officer.get(`/console/letters/${letter.id}`)).text()).normalize("NFC");
    expect(page).toContain("Đã ký số (PAdES-B-B): Lê Văn Cường");
    expect(page).toContain(letter.sha256);
    expect(page).toContain(`href="${letter.statusPath}"`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page)?.[1];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const before = inbox.messages.length;
    // The same form submitted twice (a double click): one e-mail.
    for (let i = 0; i < 2; i++) {
      const res = await officer.post(
        `/console/letters/${letter.id}/email`,
        { to: "", idempotencyKey: key ?? "" },
        `/console/letters/${letter.id}`,
      );
      expect(res.status).toBe(303);
    }
    expect(inbox.messages.length).toBe(before + 1);
    const after = (await (await officer.get(`/console/letters/${letter.id}`)).text()).normalize("NFC");
    expect(after).toContain(`Đã gửi tới ${APPLICANT.email}`);
  });

  it("says an unsigned letter is unsigned when no key is configured for its agency", async () => {
    const signing = services.signing;
    services.signing = { province: null, agencies: new Map() };
    try {
      const unsigned = await issue(code(3));
      expect(unsigned.signature).toBeNull();
      expect(pdfsig(await download(unsigned.id))).toMatch(/does not contain any signatures/);
      const officer = await signIn(server, tokens.officerA);
      const page = (await (await officer.get(`/console/letters/${unsigned.id}`)).text()).normalize("NFC");
      expect(page).toContain("Chưa ký số");
    } finally {
      services.signing = signing;
    }
  });
});

describe("rate limiting of the status page", () => {
  it("answers 429 with Retry-After once an address has asked for too many unknown tokens", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) {
      const token = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
      const res = await fetch(`${server.baseUrl}/tra-cuu/${token}`);
      answers.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(answers.at(-1)).toBe(429);
    // Even a valid token waits now: the address is blocked for the window.
    expect((await fetch(`${server.baseUrl}${letter.statusPath}`)).status).toBe(429);
  });
});
