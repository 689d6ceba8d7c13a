/** Path of an error about the input as a whole (not an object, unreadable). */
export const ROOT_PATH = "$";

/** `steps[2].endedAt`, `QuaTrinhXuLy[0].NgayBatDau`, `["odd key"]`: how every error names its field. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text || ROOT_PATH;
}
