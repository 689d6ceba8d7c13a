// What `npm run demo` prints when the province is loaded: what was loaded, the states as of now, the
// sweep, and the tokens to sign in to the console with.
import type { DemoSummary } from "./load.js";

/** A count as the demo prints it: thousands grouped, as `npm run sync` prints them. */
export const n = (value: number) => value.toLocaleString("en-US");

export function demoReport(summary: DemoSummary, seconds: string, sweep: string): string {
  const d = summary.dossiers;
  const width = Math.max(...summary.officers.map((o) => o.name.length), 26);
  const line = (role: string, name: string, token: string) =>
    `  ${role.padEnd(10)}${name.padEnd(width + 2)}${token}`;
  const total = d.inserted + d.updated + d.unchanged + d.stale + d.rejected;
  // The same counts, in the same words, as `npm run sync` prints.
  const counts =
    `${n(d.inserted)} inserted, ${n(d.updated)} updated, ${n(d.unchanged)} unchanged, ` +
    `${n(d.stale)} stale, ${n(d.rejected)} rejected`;
  return [
    `demo: province ${summary.province}: ${summary.agencies} agencies (no district tier since 1 July 2025), ${summary.procedures} procedures`,
    `demo: ${n(total)} dossiers in ${seconds} s: ${counts} (${summary.showcase} placed for the demo officers)`,
    `demo: states now: ${Object.entries(summary.states)
      .map(([state, count]) => `${state} ${n(count)}`)
      .join(", ")}`,
    `demo: ${sweep}`,
    "",
    "Open the console: npm start, then http://localhost:3000/console and sign in with one of these tokens:",
    ...summary.officers.map((o) => line("officer", o.name, o.token)),
    line("inspector", "Thanh tra Sở Nội vụ (demo)", summary.tokens.inspector),
    line("admin", "Quản trị (demo)", summary.tokens.admin),
    "API reference: http://localhost:3000/docs",
  ].join("\n");
}
