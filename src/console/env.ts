import type { AppEnv } from "../http/context.js";

/** The console's request variables: the API's, plus the session's id and CSRF token once signed in. */
export interface ConsoleEnv {
  Variables: AppEnv["Variables"] & { sessionId: string; csrfToken: string };
}
