// Small pieces several pages share.
import type { DossierState } from "../deadlines/types.js";
import { dayInputValue, STATE_LABELS } from "./format.js";
import type { AgencyNames } from "./names.js";

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

/** The agencies of the scope as a select, indented by level, names shown and codes sent. */
export function AgencySelect(props: { names: AgencyNames; value?: string; id?: string; label: string }) {
  return (
    <div>
      <label for={props.id ?? "agency"}>{props.label}</label>
      <select id={props.id ?? "agency"} name="agency" class="wide">
        <option value="">Tất cả</option>
        {props.names.inScope.map((a) => (
          <option value={a.code} selected={a.code === props.value}>
            {`${"\u00a0\u00a0".repeat(Math.max(0, props.names.depth(a)))}${a.name}`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function DayField(props: { id: string; name: string; label: string; value?: string | null }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        class="day"
        inputmode="numeric"
        placeholder="dd/mm/yyyy"
        pattern="\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
        value={dayInputValue(props.value)}
      />
    </div>
  );
}
