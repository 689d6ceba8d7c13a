import type { TestServer } from "./server.js";
import { ADMIN_TOKEN } from "./server.js";

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

/** Catalogues procedures (POST /api/v1/procedures as the admin). */
export async function seedProcedures(server: TestServer, procedures: unknown[]): Promise<void> {
  await ok(
    await server.request("/api/v1/procedures", { method: "POST", token: ADMIN_TOKEN, json: procedures }),
  );
}

export async function seedProvince(server: TestServer): Promise<Tokens> {
  for (const { code, ...agency } of Object.values(AGENCIES)) {
    await ok(
      await server.request(`/api/v1/agencies/${code}`, { method: "PUT", token: ADMIN_TOKEN, json: agency }),
    );
  }
  const user = async (body: Record<string, unknown>) => {
    const created = (await ok(
      await server.request("/api/v1/users", { method: "POST", token: ADMIN_TOKEN, json: body }),
    )) as { token: string };
    return created.token;
  };
  return {
    admin: ADMIN_TOKEN,
    system: await user({ name: "Đồng bộ", role: "system" }),
    inspectorAll: await user({ name: "Thanh tra Sở Nội vụ", role: "inspector", scope: "all" }),
    inspectorA: await user({
      name: "Thanh tra huyện Ninh Sơn",
      role: "inspector",
      scope: AGENCIES.districtA.code,
    }),
    inspectorB: await user({
      name: "Thanh tra huyện Bác Ái",
      role: "inspector",
      scope: AGENCIES.districtB.code,
    }),
    officerA: await user({ name: "Nguyễn Thị Một Cửa", role: "officer", agencyCode: AGENCIES.A.code }),
    officerB: await user({ name: "Lê Văn Tiếp Nhận", role: "officer", agencyCode: AGENCIES.B.code }),
  };
}
