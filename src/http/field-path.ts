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

/** A field of a request and what is wrong with it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** zod's issues as the fields they name. */
export const zodProblems = (
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldProblem[] => issues.map((i) => ({ path: formatPath(i.path), message: i.message }));

/** The API's one refusal of a request's fields: the first in the message, each in its details. */
export function invalidRequest(errors: FieldProblem[]): {
  message: string;
  details: { errors: FieldProblem[] };
} {
  return { message: `Invalid request: ${errors[0].path}: ${errors[0].message}`, details: { errors } };
}
