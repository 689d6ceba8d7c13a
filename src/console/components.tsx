// Small pieces several pages share.
import type { DossierState } from "../dossiers/state-sql.js";
import { STATE_LABELS } from "./format.js";

export const StateBadge = (props: { state: DossierState }) => (
  <span class={`badge s-${props.state}`}>{STATE_LABELS[props.state]}</span>
);

/** "?a=1&b=2" from the values that are set. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
}

export const dossierHref = (code: string) => `/console/dossiers/${encodeURIComponent(code)}`;

/** A labelled control: every input of the console has a visible label tied to it. */
export function Labelled(props: { id: string; label: string; children: unknown }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

/**
 * A wide table's box: it scrolls sideways on its own instead of widening the page. Focusable and
 * named, so that keyboard users can scroll it too (WCAG 2.1.1).
 */
export function Scroll(props: { label: string; children: unknown }) {
  return (
    <section class="scroll" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
