import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ApologyLetterInput,
  renderApologyLetter,
  renderCombinedLetters,
} from "../../src/letters/render.js";
import { type LetterFonts, loadLetterFonts } from "../../src/pdf/fonts.js";
import { assertPopplerInstalled, pdfFlatText, pdfFonts, pdfInfo, pdfText } from "../helpers/pdf.js";

const TITLE_2018 = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ";
const TITLE_2025 = "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT";

function letter(overrides: Partial<ApologyLetterInput> = {}): ApologyLetterInput {
  return {
    number: 12,
    agency: {
      name: "Ủy ban nhân dân xã Ninh Sơn",
      shortCode: "NS",
      parentName: "UBND tỉnh Khánh Hòa",
      place: "Ninh Sơn",
    },
    issuedAt: new Date("2025-02-06T09:15:00+07:00"),
    dossier: {
      code: "000.00.20.H47-250124-0001",
      receivedAt: new Date("2025-01-24T10:00:00+07:00"),
      procedureName: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
      applicantName: "Nguyễn Thị Ngọc Ánh",
      promisedDueAt: new Date("2025-02-07T10:00:00+07:00"),
    },
    reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất",
    newDueAt: new Date("2025-02-12T16:30:00+07:00"),
    signerName: "Lê Văn Cường",
    signerTitle: "KT. CHỦ TỊCH\nPhó Chủ tịch",
    ...overrides,
  };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let fonts: LetterFonts;
beforeAll(async () => {
  assertPopplerInstalled();
  fonts = await loadLetterFonts();
});

describe("renderApologyLetter: content", () => {
  it("writes the 2018 form's fields, in Vietnamese, as extractable text", () => {
    const text = pdfFlatText(renderApologyLetter(fonts, letter()));
    for (const expected of [
      TITLE_2018,
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "UBND TỈNH KHÁNH HÒA",
      "ỦY BAN NHÂN DÂN XÃ NINH SƠN",
      "Số: 12/PXL-NS",
      "Ninh Sơn, ngày 06 tháng 02 năm 2025",
      "Kính gửi: Ông/Bà Nguyễn Thị Ngọc Ánh.",
      "Mã hồ sơ: 000.00.20.H47-250124-0001.",
      "Lúc 10 giờ 00 phút, ngày 24/01/2025, Ủy ban nhân dân xã Ninh Sơn tiếp nhận hồ sơ",
      "“Cấp giấy phép xây dựng nhà ở riêng lẻ”",
      "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 07/02/2025.",
      "Lý do: Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất.",
      "vào lúc 16 giờ 30 phút, ngày 12/02/2025.",
      "Căn cứ Nghị định số 61/2018/NĐ-CP",
      "Nghị định số 107/2021/NĐ-CP",
      "Nơi nhận:",
      "- Như trên;",
      "- Lưu: VT.",
      "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
      "Lê Văn Cường",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("lays the header out in two columns: agency and number left, national title and date right", () => {
    const lines = pdfText(renderApologyLetter(fonts, letter()), { layout: true }).split("\n");
    const row = (needle: string) => lines.find((l) => l.includes(needle)) ?? "";
    expect(row("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).toMatch(/^\s*UBND TỈNH KHÁNH HÒA\s+CỘNG HÒA/);
    expect(row("Độc lập - Tự do - Hạnh phúc")).toMatch(/ỦY BAN NHÂN DÂN XÃ NINH SƠN\s+Độc lập/);
    expect(row("Số: 12/PXL-NS")).toMatch(/Số: 12\/PXL-NS\s+Ninh Sơn, ngày 06 tháng 02 năm 2025/);
    expect(row("Nơi nhận:")).toMatch(/Nơi nhận:\s+KT\. CHỦ TỊCH/);
  });

  it("picks the form by the local issue date: 30/6/2025 the 2018 form, 1/7/2025 the 2025 form", () => {
    // 16:59 UTC on 30 June is 23:59 in Viet Nam; 17:00 UTC is already 1 July there.
    const lastOld = pdfFlatText(
      renderApologyLetter(fonts, letter({ issuedAt: new Date("2025-06-30T16:59:00Z") })),
    );
    const firstNew = pdfFlatText(
      renderApologyLetter(fonts, letter({ issuedAt: new Date("2025-06-30T17:00:00Z") })),
    );
    expect(lastOld).toContain(TITLE_2018);
    expect(lastOld).toContain("Ninh Sơn, ngày 30 tháng 6 năm 2025");
    expect(firstNew).toContain(TITLE_2025);
    expect(firstNew).toContain("Ninh Sơn, ngày 01 tháng 7 năm 2025");
    expect(firstNew).toContain("Căn cứ Nghị định số 118/2025/NĐ-CP");
    expect(firstNew).toContain(
      "đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến 16 giờ 30 phút, ngày 12/02/2025.",
    );
    expect(firstNew).not.toContain("61/2018");
  });

  it("honours an explicit form over the issue date", () => {
    const text = pdfFlatText(renderApologyLetter(fonts, letter({ form: "tt03-2025" })));
    expect(text).toContain(TITLE_2025);
  });

  it("pads numbers below 10 (Nghị định 30/2020) and uses the agency's header lines when given", () => {
    const agency = {
      ...letter().agency,
      letterHeader: ["UBND huyện Ninh Hòa", "Văn phòng đăng ký đất đai"],
      shortCode: "VPĐK",
    };
    const text = pdfFlatText(renderApologyLetter(fonts, letter({ number: 5, agency })));
    expect(text).toContain("Số: 05/PXL-VPĐK");
    expect(text).toContain("UBND HUYỆN NINH HÒA");
    expect(text).toContain("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI");
    expect(text).not.toContain("UBND TỈNH KHÁNH HÒA");
  });

  it("normalises decomposed (NFD) input to NFC so that the text copies and searches", () => {
    const dossier = { ...letter().dossier, applicantName: "Trần Thị Thủy".normalize("NFD") };
    const text = pdfFlatText(renderApologyLetter(fonts, letter({ dossier })));
    expect(text).toContain("Kính gửi: Ông/Bà Trần Thị Thủy.");
    expect(text).toBe(text.normalize("NFC"));
  });

  it("addresses an organisation without Ông/Bà and leaves out an unknown promised time", () => {
    const dossier = {
      ...letter().dossier,
      applicantName: "Công ty TNHH Xây dựng Phước Thịnh",
      applicantKind: "organization" as const,
      promisedDueAt: null,
    };
    const text = pdfFlatText(
      renderApologyLetter(fonts, letter({ dossier, recipients: ["Như trên", "Lưu: VT, VP"] })),
    );
    expect(text).toContain("Kính gửi: Công ty TNHH Xây dựng Phước Thịnh.");
    expect(text).toContain("Quý Tổ chức");
    expect(text).not.toContain("Thời gian hẹn trả kết quả giải quyết hồ sơ:");
    expect(text).toContain("- Như trên; - Lưu: VT, VP.");
  });

  it("moves the closing to a second page when a long reason fills the first", () => {
    const reason = Array.from(
      { length: 14 },
      (_, i) => `Nội dung thẩm định thứ ${i + 1} cần thêm thời gian phối hợp liên ngành`,
    ).join("; ");
    const pdf = renderApologyLetter(fonts, letter({ reason }));
    expect(pdfInfo(pdf).Pages).toBe("2");
    expect(pdfFlatText(pdf)).toContain("Lê Văn Cường");
  });

  it("flows a body longer than a page onto the next page without losing a word", () => {
    const reason = Array.from(
      { length: 40 },
      (_, i) => `Nội dung thẩm định thứ ${i + 1} cần thêm thời gian phối hợp liên ngành`,
    ).join("; ");
    const pdf = renderApologyLetter(fonts, letter({ reason }));
    expect(pdfInfo(pdf).Pages).toBe("2");
    expect(pdfFlatText(pdf)).toContain(`Lý do: ${reason}.`);
  });
});

describe("the apology after the fact (SPEC §5 amended): a dossier that finished late", () => {
  const afterTheFact = (issuedAt: string) =>
    letter({
      issuedAt: new Date(issuedAt),
      newDueAt: null,
      finishedAt: new Date("2025-02-10T15:20:00+07:00"),
    });

  it("in the 2018 form's wording: apologises, states when the result was ready, asks for nothing", () => {
    const pdf = renderApologyLetter(fonts, afterTheFact("2025-02-11T09:00:00+07:00"));
    const text = pdfFlatText(pdf);
    expect(text).toContain("Số: 12/PXL-NS PHIẾU XIN LỖI Kính gửi: Ông/Bà Nguyễn Thị Ngọc Ánh.");
    expect(text).toContain("Căn cứ Nghị định số 61/2018/NĐ-CP");
    expect(text).toContain("Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 07/02/2025.");
    expect(text).toContain(
      "đã không trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời gian đã hẹn: kết quả giải quyết hồ sơ có vào lúc 15 giờ 20 phút, ngày 10/02/2025.",
    );
    expect(text).toContain("trân trọng xin lỗi Ông/Bà");
    expect(text).not.toContain(TITLE_2018);
    for (const request of ["hẹn lại", "HẸN LẠI", "gia hạn", "đồng ý", "12/02/2025"]) {
      expect(text).not.toContain(request);
    }
    expect(pdfInfo(pdf).Title).toBe("PHIẾU XIN LỖI số 12/PXL-NS");
  });

  it("in the 2025 form's wording from 1 July 2025: no extension request (đề nghị gia hạn), no new date", () => {
    const text = pdfFlatText(renderApologyLetter(fonts, afterTheFact("2025-07-02T09:00:00+07:00")));
    expect(text).toContain("Căn cứ Nghị định số 118/2025/NĐ-CP");
    expect(text).toContain("Thời hạn trả kết quả giải quyết hồ sơ đã hẹn: 10 giờ 00 phút, ngày 07/02/2025.");
    expect(text).toContain(
      "kết quả giải quyết hồ sơ được hoàn thành vào lúc 15 giờ 20 phút, ngày 10/02/2025.",
    );
    expect(text).toContain("trân trọng xin lỗi Ông/Bà vì sự chậm trễ này");
    expect(text).not.toContain(TITLE_2025);
    expect(text).not.toContain("61/2018");
    for (const request of ["gia hạn", "GIA HẠN", "đồng ý", "hẹn lại", "cam kết trả kết quả"]) {
      expect(text).not.toContain(request);
    }
  });
});

describe("the preview (draft)", () => {
  it("marks every page as a draft and leaves the number blank for the issue", () => {
    const reason = Array.from({ length: 40 }, (_, i) => `Nội dung thẩm định thứ ${i + 1}`).join("; ");
    const pdf = renderApologyLetter(fonts, letter({ reason, draft: true }));
    const pages = pdfText(pdf)
      .split("\f")
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain("BẢN XEM TRƯỚC — CHƯA PHÁT HÀNH, KHÔNG CÓ GIÁ TRỊ");
    const text = pdfFlatText(pdf);
    expect(text).toContain("Số: ......./PXL-NS");
    expect(text).not.toMatch(/\d+\/PXL/);
    expect(pdfInfo(pdf).Title).toBe(`DỰ THẢO: ${TITLE_2018} số ......./PXL-NS`);
  });
});

describe("renderApologyLetter: the PDF file", () => {
  it("is A4 with every font embedded, subset and Tinos", () => {
    const pdf = renderApologyLetter(fonts, letter());
    expect(pdfInfo(pdf)["Page size"]).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
    const used = pdfFonts(pdf);
    expect(used.map((f) => f.name.split("+")[1]).sort()).toEqual([
      "Tinos-Bold",
      "Tinos-BoldItalic",
      "Tinos-Italic",
      "Tinos-Regular",
    ]);
    for (const font of used) {
      expect(font).toMatchObject({ type: "CID TrueType", embedded: true, subset: true, unicode: true });
    }
  });

  it("carries the title with its number, the agency and the dossier code as metadata", () => {
    const info = pdfInfo(renderApologyLetter(fonts, letter()));
    expect(info.Title).toBe(`${TITLE_2018} số 12/PXL-NS`);
    expect(info.Author).toBe("Ủy ban nhân dân xã Ninh Sơn");
    expect(info.Subject).toBe("000.00.20.H47-250124-0001");
    expect(info.Keywords).toContain("phiên bản 1");
    expect(new Date(info.CreationDate).toISOString()).toBe("2025-02-06T02:15:00.000Z");
  });

  it("is deterministic: the same input gives the same bytes, a different one other bytes", () => {
    const first = renderApologyLetter(fonts, letter());
    const again = renderApologyLetter(fonts, letter());
    expect(sha256(again)).toBe(sha256(first));
    expect(sha256(renderApologyLetter(fonts, letter({ version: 2 })))).not.toBe(sha256(first));
    expect(sha256(renderApologyLetter(fonts, letter({ number: 13 })))).not.toBe(sha256(first));
  });
});

describe("renderCombinedLetters", () => {
  it("prints each letter from a new page in one PDF", () => {
    const inputs = [
      letter(),
      letter({ number: 13, issuedAt: new Date("2025-07-02T08:00:00+07:00") }),
      letter({ number: 14, dossier: { ...letter().dossier, code: "000.00.20.H47-250130-0007" } }),
    ];
    const pdf = renderCombinedLetters(fonts, inputs);
    const info = pdfInfo(pdf);
    expect(info.Pages).toBe("3");
    expect(info.Subject).toBe(
      "000.00.20.H47-250124-0001, 000.00.20.H47-250124-0001, 000.00.20.H47-250130-0007",
    );
    const pages = pdfText(pdf)
      .split("\f")
      .map((p) => p.replace(/\s+/g, " "));
    expect(pages[0]).toContain("Số: 12/PXL-NS");
    expect(pages[1]).toContain("Số: 13/PXL-NS");
    expect(pages[1]).toContain(TITLE_2025);
    expect(pages[2]).toContain("Mã hồ sơ: 000.00.20.H47-250130-0007.");
  });

  it("refuses an empty batch", () => {
    expect(() => renderCombinedLetters(fonts, [])).toThrow(/at least one/);
  });
});
