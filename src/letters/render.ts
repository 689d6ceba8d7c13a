// The apology letter (phiếu xin lỗi, DOMAIN §6) as PDF: pure, synchronous, deterministic — the same
// input gives the same bytes, so the stored SHA-256 can be checked against a re-render.

import {
  drawClosing,
  drawDocumentHeader,
  drawParagraph,
  drawTitle,
  type Rect,
} from "../pdf/decree-layout.js";
import { type Canvas, createDocument, finishDocument, markEveryPage, startPage } from "../pdf/document.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { SignatureStamp } from "../pdf/stamp.js";
import { placeAndDate, timeAndDate } from "./dates.js";
import { addSignatureField } from "./signing/placeholder.js";
import {
  fillPlaceholders,
  type LetterFormId,
  type LetterTemplate,
  type Placeholder,
  templateById,
  templateForIssueDate,
} from "./templates.js";

export interface LetterAgency {
  name: string;
  /** Ký hiệu of the agency in the number: "NS" in "Số: 12/PXL-NS". */
  shortCode: string;
  parentName: string | null;
  /** Header lines, top down, overriding [parentName, name]; the last one is the issuer (bold). */
  letterHeader?: string[];
  /** The town named before the date: "Ninh Sơn, ngày …". */
  place: string;
}

export interface LetterDossier {
  code: string;
  receivedAt: Date;
  procedureName: string;
  applicantName: string;
  /** Chooses "Ông/Bà" or "Quý Tổ chức" in the wording; most applicants are citizens. */
  applicantKind?: "citizen" | "organization";
  promisedDueAt: Date | null;
}

export interface ApologyLetterInput {
  /** The form; by default the one in force on the issue date (DOMAIN §1). */
  form?: LetterFormId;
  /** Sequential per agency and year. */
  number: number;
  agency: LetterAgency;
  issuedAt: Date;
  dossier: LetterDossier;
  reason: string;
  /**
   * Ngày hẹn trả mới; null for the apology after the fact (DOMAIN §6, amended: a dossier that finished
   * late gets no extension request and no new appointment).
   */
  newDueAt: Date | null;
  /** When the result was ready: what the apology after the fact states. */
  finishedAt?: Date | null;
  signerName: string;
  /** Authority and position; "\n" separates lines ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"). */
  signerTitle: string;
  /** "Nơi nhận:" lines; by default the form's own. */
  recipients?: string[];
  /** Correction version (DOMAIN §6); 1 by default. Recorded in the PDF's keywords. */
  version?: number;
  /**
   * A preview, not the letter: every page is marked as a draft and the number is left blank, for
   * the issue to draw (a printed preview must never pass for an issued letter).
   */
  draft?: boolean;
  /**
   * The letter's public status page (/tra-cuu/{token}), printed as a QR code under "Nơi nhận:";
   * none on drafts and on letters issued before status pages existed.
   */
  statusUrl?: string;
}

/** What a signed letter shows and reserves: the visible signature, and room for the container. */
export interface SignatureRequest {
  stamp: SignatureStamp;
  /** Bytes the CMS container may take (from the signing identity). */
  containerBytes: number;
}

/** The caption beside the QR code. */
export const STATUS_LINK_CAPTION = "Quét mã để tra cứu hồ sơ và xác thực phiếu này:";

/** The draft mark drawn across every page of a preview. */
export const DRAFT_MARK = "DỰ THẢO";
/** The line above the header of every page of a preview. */
export const DRAFT_NOTICE = "BẢN XEM TRƯỚC — CHƯA PHÁT HÀNH, KHÔNG CÓ GIÁ TRỊ";

const nfc = (s: string) => s.normalize("NFC").trim();

/** "Số: 05/PXL-NS": Nghị định 30/2020, Phụ lục I — numbers below 10 take a leading zero. */
export function letterNumber(template: LetterTemplate, number: number, shortCode: string): string {
  const n = number < 10 ? `0${number}` : String(number);
  return `${n}/${template.numberSuffix}-${nfc(shortCode)}`;
}

/** "Số: ......./PXL-NS": the number left for the issue to draw, as a records office leaves it. */
export function blankLetterNumber(template: LetterTemplate, shortCode: string): string {
  return `......./${template.numberSuffix}-${nfc(shortCode)}`;
}

/** Whether the input is the apology after the fact (no new appointment). */
export const isAfterTheFact = (input: Pick<ApologyLetterInput, "newDueAt">) => input.newDueAt === null;

/** The title and body of the letter's kind: re-appointment, or apology after the fact. */
export function wordingOf(template: LetterTemplate, input: Pick<ApologyLetterInput, "newDueAt">) {
  return isAfterTheFact(input) ? template.afterTheFact : { title: template.title, body: template.body };
}

/** A sentence ends with a full stop unless it already ends with punctuation. */
function asSentence(text: string): string {
  const t = nfc(text);
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function templateFor(input: ApologyLetterInput): LetterTemplate {
  return input.form ? templateById(input.form) : templateForIssueDate(input.issuedAt);
}

function placeholderValues(
  template: LetterTemplate,
  input: ApologyLetterInput,
): Partial<Record<Placeholder, string>> {
  const { dossier } = input;
  const applicantName = nfc(dossier.applicantName);
  const wording = template.applicant[dossier.applicantKind ?? "citizen"];
  return {
    agencyName: nfc(input.agency.name),
    applicantName,
    addressee: fillPlaceholders(wording.addressee, { applicantName }),
    honorific: wording.honorific,
    dossierCode: nfc(dossier.code),
    procedureName: nfc(dossier.procedureName),
    receivedAt: timeAndDate(dossier.receivedAt),
    promisedDueAt: dossier.promisedDueAt ? timeAndDate(dossier.promisedDueAt) : undefined,
    reason: asSentence(input.reason),
    newDueAt: input.newDueAt ? timeAndDate(input.newDueAt) : undefined,
    finishedAt: input.finishedAt ? timeAndDate(input.finishedAt) : undefined,
  };
}

function headerLines(agency: LetterAgency): string[] {
  const lines = agency.letterHeader?.length
    ? agency.letterHeader
    : [agency.parentName, agency.name].filter((l): l is string => Boolean(l));
  return lines.map((l) => nfc(l).toLocaleUpperCase("vi-VN").normalize("NFC"));
}

/** "12/PXL-NS", or the blank number of a draft. */
function numberOf(template: LetterTemplate, input: ApologyLetterInput): string {
  return input.draft
    ? blankLetterNumber(template, input.agency.shortCode)
    : letterNumber(template, input.number, input.agency.shortCode);
}

/** The document title as PDF metadata shows it: "PHIẾU XIN LỖI … số 12/PXL-NS". */
export function letterDocumentTitle(template: LetterTemplate, input: ApologyLetterInput): string {
  const title = `${wordingOf(template, input).title} số ${numberOf(template, input)}`;
  return input.draft ? `${DRAFT_MARK}: ${title}` : title;
}

/** A letter's text, laid out by nothing yet: the PDF draws it, and so could an HTML view. */
export interface LetterContent {
  template: LetterTemplate;
  agencyLines: string[];
  numberLine: string;
  placeAndDate: string;
  title: string;
  addressee: string;
  paragraphs: { text: string; italic: boolean }[];
  recipientsTitle: string;
  recipients: string[];
  signerTitleLines: string[];
  signerName: string;
  statusUrl?: string;
}

/** The filled-in form for one letter, NFC throughout. */
export function letterContent(input: ApologyLetterInput): LetterContent {
  const template = templateFor(input);
  const wording = wordingOf(template, input);
  const values = placeholderValues(template, input);
  const paragraphs = wording.body.flatMap((block) => {
    if (block.kind === "legalBasis") {
      return template.legalBasis.map((basis) => ({
        text: `${block.prefix}${basis}${block.suffix}`,
        italic: block.italic,
      }));
    }
    if (block.when && values[block.when] === undefined) return [];
    return [{ text: fillPlaceholders(block.text, values), italic: block.italic }];
  });
  return {
    template,
    agencyLines: headerLines(input.agency),
    numberLine: `Số: ${numberOf(template, input)}`,
    placeAndDate: placeAndDate(nfc(input.agency.place), input.issuedAt),
    title: wording.title,
    addressee: fillPlaceholders(template.addressee, values),
    paragraphs,
    recipientsTitle: template.recipientsTitle,
    recipients: (input.recipients ?? template.recipients).map(nfc),
    signerTitleLines: nfc(input.signerTitle).split(/\s*\n\s*/),
    signerName: nfc(input.signerName),
    ...(input.statusUrl && !input.draft ? { statusUrl: input.statusUrl } : {}),
  };
}

/** Draws one letter from a new page; returns where its visible signature went, if signed. */
function drawLetter(canvas: Canvas, content: LetterContent, stamp?: SignatureStamp): Rect | undefined {
  startPage(canvas);
  drawDocumentHeader(canvas, content);
  drawTitle(canvas, [content.title]);
  drawParagraph(canvas, content.addressee, { indent: false, align: "center" });
  for (const paragraph of content.paragraphs) drawParagraph(canvas, paragraph.text, paragraph);
  return drawClosing(
    canvas,
    { title: content.recipientsTitle, lines: content.recipients },
    { titleLines: content.signerTitleLines, name: content.signerName },
    {
      ...(stamp ? { stamp } : {}),
      ...(content.statusUrl ? { statusLink: { url: content.statusUrl, caption: STATUS_LINK_CAPTION } } : {}),
    },
  );
}

/** PAdES baseline B-B, or none: what the metadata says of the letter's signature. */
export const SIGNATURE_LEVEL = "PAdES-B-B";
export const UNSIGNED = "chưa ký số";

function metadataFor(template: LetterTemplate, input: ApologyLetterInput, signed: boolean) {
  return {
    title: letterDocumentTitle(template, input),
    author: nfc(input.agency.name),
    subject: nfc(input.dossier.code),
    keywords: `${template.id}; ${template.formReference}; phiên bản ${input.version ?? 1}; ${signed ? `ký số ${SIGNATURE_LEVEL}` : UNSIGNED}`,
    createdAt: input.issuedAt,
    facts: {
      agency: nfc(input.agency.name),
      dossierCode: nfc(input.dossier.code),
      form: `${template.id} (${template.formReference})`,
      letterNumber: numberOf(template, input),
      signature: signed ? SIGNATURE_LEVEL : "unsigned",
    },
  };
}

/**
 * One apology letter as PDF bytes. Synchronous: pdfkit lays out and compresses in-process, and
 * the fonts come pre-parsed in `fonts` (load them once with loadLetterFonts/createLetterFonts).
 */
export function renderApologyLetter(
  fonts: LetterFonts,
  input: ApologyLetterInput,
  signature?: SignatureRequest,
): Buffer {
  // A draft is never signed: it must not pass for the letter.
  const signing = input.draft ? undefined : signature;
  const content = letterContent(input);
  const canvas = createDocument(fonts, metadataFor(content.template, input, signing !== undefined));
  // Every page, including those the body flows onto, carries the mark from its first line.
  if (input.draft) markEveryPage(canvas, { mark: DRAFT_MARK, notice: DRAFT_NOTICE });
  const stampRect = drawLetter(canvas, content, signing?.stamp);
  if (signing && stampRect) {
    addSignatureField(canvas.doc, {
      rect: stampRect,
      signedAt: signing.stamp.signedAt,
      signerName: signing.stamp.signerName,
      reason: `${content.title} số ${numberOf(content.template, input)}`,
      location: nfc(input.agency.place),
      containerBytes: signing.containerBytes,
    });
  }
  return finishDocument(canvas);
}

/**
 * Several letters in one PDF for batch printing, each from a new page. The metadata is the first
 * letter's, with the subject listing every dossier code; the date is the latest issue date.
 */
export function renderCombinedLetters(fonts: LetterFonts, inputs: readonly ApologyLetterInput[]): Buffer {
  const first = inputs[0];
  if (!first) throw new Error("renderCombinedLetters needs at least one letter");
  const latest = inputs.reduce((a, b) => (b.issuedAt > a.issuedAt ? b : a));
  // No archive facts: they describe one letter, and this print holds several.
  const { facts: _, ...metadata } = metadataFor(templateFor(first), first, false);
  const canvas = createDocument(fonts, {
    ...metadata,
    title: `${inputs.length} phiếu xin lỗi`,
    subject: inputs.map((i) => nfc(i.dossier.code)).join(", "),
    createdAt: latest.issuedAt,
  });
  for (const input of inputs) drawLetter(canvas, letterContent(input));
  return finishDocument(canvas);
}
