export interface Tokens {
  admin: string;
  system: string;
  inspectorAll: string;
  /** Inspector of the district subtree that holds agency A only. */
  inspectorA: string;
  inspectorB: string;
  officerA: string;
  officerB: string;
}

/** A small province: P (tỉnh) → district DA → commune A; P → district DB → commune B. */
export const AGENCIES = {
  province: { code: "000.00.00.H47", name: "UBND tỉnh Khánh Hòa", shortCode: "UBND" },
  districtA: {
    code: "000.00.20.H47",
    name: "UBND huyện Ninh Sơn",
    shortCode: "NS",
    parentCode: "000.00.00.H47",
  },
  A: {
    code: "000.20.20.H47",
    name: "UBND xã Lâm Sơn",
    shortCode: "LS",
    parentCode: "000.00.20.H47",
    place: "Lâm Sơn",
  },
  districtB: {
    code: "000.00.21.H47",
    name: "UBND huyện Bác Ái",
    shortCode: "BA",
    parentCode: "000.00.00.H47",
  },
  B: {
    code: "000.21.21.H47",
    name: "UBND xã Phước Bình",
    shortCode: "PB",
    parentCode: "000.00.21.H47",
    place: "Phước Bình",
  },
} as const;

export async function ok(response: Response, expected = [200, 201]): Promise<unknown> {
  const body = await response.json();
  if (!expected.includes(response.status)) {
    throw new Error(`expected ${expected.join("/")}, got ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}
