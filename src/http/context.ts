import type { Principal } from "../auth/principal.js";
import type { FailureLimiter } from "../auth/rate-limit.js";
import type { Database } from "../db/client.js";
import type { LetterFonts } from "../letters/fonts.js";
import type { SweepSettings } from "../sweep/run.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";

/** What the app needs from the outside world, injected by server.ts, worker.ts or a test. */
export interface AppDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The letter typeface, read and parsed once per process and shared by every render. */
  letterFonts: LetterFonts;
  /** How sweeps run here (pull source, webhook timeout, lease); defaults when absent. */
  sweep?: SweepSettings;
  /** Failed token checks per client address and token prefix; createApp makes one when absent. */
  authFailures?: FailureLimiter;
  /** Behind a reverse proxy (TRUST_PROXY): the client is the last X-Forwarded-For hop. */
  trustProxy?: boolean;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
  };
}
