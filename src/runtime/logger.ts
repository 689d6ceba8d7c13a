export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON line per event. Callers pass identifiers (codes, ids), never tokens, applicant names
 * or identity numbers: logs leave the building, personal data must not.
 */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => console.log(l)): Logger {
  const at =
    (lvl: Exclude<LogLevel, "silent">) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  query?: unknown;
  cause?: unknown;
}

/**
 * An error as a log may show it. A failed query's message lists its parameters — applicant names,
 * identity numbers, tokens' hashes — and PostgreSQL quotes offending values in its own messages:
 * keep the SQL text (parameters are placeholders), the SQLSTATE and the messages with every quoted
 * string blanked.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  const chain: ErrorLike[] = [];
  for (let e = error as ErrorLike | undefined; e && typeof e === "object" && chain.length < 4; ) {
    chain.push(e);
    e = e.cause as ErrorLike | undefined;
  }
  if (chain.length === 0) return { error: redact(String(error)) };
  const root = chain[chain.length - 1];
  const query = chain.find((e) => typeof e.query === "string")?.query as string | undefined;
  const code = chain.find((e) => typeof e.code === "string")?.code;
  const message = typeof root.message === "string" ? root.message : String(root);
  return {
    error: `${String(chain[0].name ?? "Error")}: ${redact(message.split("\nparams:")[0])}`,
    ...(code ? { code } : {}),
    ...(query ? { query: query.slice(0, 500) } : {}),
  };
}

const redact = (text: string) => text.replace(/"[^"]*"|'[^']*'|\([^()]*\)=\([^()]*\)/g, '"…"').slice(0, 500);
