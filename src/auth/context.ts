// What auth adds to the request context of src/http/context.ts. Declared here, on auth's side of
// the arrow, so that the plumbing below knows nothing of who is calling: the principal the guard
// (./guard.ts) or a console session resolved, and the failure limiter and principal cache that
// server.ts, worker.ts or a test may inject.
import type { Principal } from "./principal.js";
import type { PrincipalCache } from "./principal-cache.js";
import type { FailureLimiter } from "./rate-limit.js";

declare module "../http/context.js" {
  interface AppDeps {
    /** Failed token checks per client address and token prefix; createApp makes one when absent. */
    authFailures?: FailureLimiter;
    /** Principals of valid tokens, remembered for a moment; createApp makes one when absent. */
    principals?: PrincipalCache;
  }

  interface AppVariables {
    principal: Principal;
  }
}
