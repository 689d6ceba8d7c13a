// The console's one stylesheet and one script, served from the app (no build step, no CDN, nothing
// inline: a Content-Security-Policy can say 'self'). Laid out for 1366×768 office screens and down
// to 360 px phones: wide tables scroll inside their own box, lists become one card per row, the
// two-column facts stack. Colours pass WCAG AA contrast. The print stylesheet drops navigation and
// forms and lets lists and reports run across pages with their headers repeated.
export const CONSOLE_CSS = `
:root { --ink:#1b1f24; --muted:#4a5560; --line:#c9d1d9; --bg:#f6f8fa; --brand:#8b1a1a; --link:#0b4f9c;
  --ok:#1a7f37; --warn:#8a5a00; --bad:#b42318; --paused:#6e40c9; --focus:#ffbf47; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: "Segoe UI", "Noto Sans", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.45; overflow-wrap: break-word; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; background: var(--brand); color: #fff; padding: .5rem 1rem; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; text-decoration: none; }
header.top .who { margin-left: auto; font-size: .9rem; }
nav.main { display: flex; flex-wrap: wrap; gap: .25rem; background: #fff; border-bottom: 1px solid var(--line); padding: .25rem 1rem; }
nav.main a { padding: .35rem .6rem; border-radius: 4px; text-decoration: none; }
nav.main a[aria-current="page"] { background: var(--brand); color: #fff; }
main { max-width: 1320px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.45rem; margin: .25rem 0 .75rem; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; font-size: .93rem; }
th { background: #eef1f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll > table { min-width: 40rem; }
.code { font-size: .85rem; color: var(--muted); display: block; }
.nowrap { white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .6rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; text-decoration: none; color: inherit; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; border: 1px solid currentColor; white-space: nowrap; }
.s-overdue, .s-late { color: var(--bad); } .s-due_soon { color: var(--warn); } .s-on_track, .s-on_time, .s-early { color: var(--ok); } .s-closed { color: var(--muted); }
form.filters, .filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .75rem; }
.filters > div { min-width: 0; max-width: 100%; }
label { display: block; font-weight: 600; font-size: .9rem; }
input, select, textarea, button { font: inherit; max-width: 100%; }
input, select, textarea { border: 1px solid #6b7681; border-radius: 4px; padding: .3rem .4rem; background: #fff; color: var(--ink); }
input.wide, select.wide { width: 100%; }
input.day { width: 8.5rem; } input.time { width: 5rem; }
textarea { width: 100%; min-height: 5rem; }
.field { margin-bottom: .6rem; }
.hint { font-size: .85rem; color: var(--muted); margin: .15rem 0 0; font-weight: normal; }
button, .button { display: inline-block; background: var(--link); color: #fff; border: 0; border-radius: 4px; padding: .45rem .9rem; cursor: pointer; text-decoration: none; line-height: 1.3; }
button.secondary, .button.secondary { background: #fff; color: var(--link); border: 1px solid var(--link); }
button.danger, .button.danger { background: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
.flash { padding: .6rem .8rem; border-radius: 4px; margin-bottom: .75rem; border: 1px solid; background: #fff; }
.flash.ok { border-color: var(--ok); color: var(--ok); } .flash.error { border-color: var(--bad); color: var(--bad); }
.warnings { border: 2px solid var(--warn); background: #fff8e6; border-radius: 4px; padding: .5rem .8rem; margin: .75rem 0; }
.warnings h2 { margin-top: 0; color: var(--warn); }
.warnings li { margin: .25rem 0; }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: minmax(7rem, max-content) minmax(0, 1fr); gap: .2rem 1rem; background: #fff; border: 1px solid var(--line); padding: .6rem; margin: 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; min-width: 0; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
figure { margin: 0; }
.paper { background: #fff; border: 1px solid var(--line); box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 1.25rem 1.5rem; max-width: 52rem; font-family: "Times New Roman", Tinos, serif; font-size: 1.05rem; }
.paper .head { display: grid; grid-template-columns: 1fr 1.2fr; gap: 1rem; text-align: center; }
.paper .title { text-align: center; font-weight: 700; margin: 1rem 0 .5rem; }
.paper p { text-align: justify; margin: .35rem 0; }
.paper .blank { background: #fff3c4; padding: 0 .2rem; }
.paper .sign, .paper .sign p { text-align: center; }
.timeline-box { position: relative; margin: 1.8rem 0 .75rem; }
.timeline { display: flex; height: 28px; border: 1px solid var(--line); background: #fff; }
.timeline span { display: block; height: 100%; min-width: 1px; }
.seg-counted { background: #2f81f7; } .seg-paused { background: var(--paused); } .seg-non_working { background: #d0d7de; }
.seg-voided { background: repeating-linear-gradient(45deg, #2f81f7, #2f81f7 3px, #fff 3px, #fff 6px); }
.axis { position: relative; height: 1.4rem; border-top: 1px solid var(--muted); }
.axis .tick { position: absolute; top: 0; font-size: .78rem; color: var(--muted); transform: translateX(-50%); white-space: nowrap; padding-top: .2rem; }
.axis .tick::before { content: ""; position: absolute; left: 50%; top: 0; height: .3rem; border-left: 1px solid var(--muted); }
.axis .tick.first { transform: none; } .axis .tick.first::before { left: 0; }
.axis .tick.last { transform: translateX(-100%); } .axis .tick.last::before { left: auto; right: 0; }
.due-marker { position: absolute; top: -4px; height: 36px; border-left: 3px solid var(--bad); }
.due-marker span { position: absolute; top: -1.45rem; font-size: .8rem; font-weight: 700; color: var(--bad); white-space: nowrap; padding: 0 .25rem; }
.due-marker.right span { right: 0; }
.legend span { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin: 0 .25rem 0 .75rem; }
.month-grid { table-layout: fixed; min-width: 0; } .month-grid caption { text-align: left; font-weight: 700; padding: .25rem 0; }
.month-grid td.d { height: 4.6rem; font-size: .8rem; overflow-wrap: anywhere; }
.month-grid td.off { background: #fde8e8; } .month-grid td.weekend { background: #eef1f4; } .month-grid td.makeup { background: #e6f4ea; }
.month-grid .day { font-weight: 700; }
.month-grid td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.provisional { border: 2px dashed var(--warn); padding: .3rem .5rem; color: var(--warn); display: inline-block; }
.pager { margin-top: .75rem; display: flex; flex-wrap: wrap; gap: .5rem; }
details > summary { cursor: pointer; }
tr.drill > td { background: #fafbfc; }
svg text { font-family: inherit; font-size: 11px; fill: var(--ink); }
@media (max-width: 900px) {
  .cols { grid-template-columns: minmax(0, 1fr); }
  .paper .head { grid-template-columns: 1fr; }
}
@media (max-width: 640px) {
  html { font-size: 14px; }
  main { padding: .6rem; }
  header.top .who { margin-left: 0; width: 100%; }
  nav.main { padding: .25rem .5rem; }
  .paper { padding: .75rem; }
  /* A list becomes one card per row, each cell led by its column's name. */
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack { min-width: 0; background: transparent; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin-bottom: .5rem; padding: .25rem .5rem; }
  table.stack td { border: 0; padding: .15rem 0; display: grid; grid-template-columns: 8.5rem minmax(0, 1fr); gap: .5rem; text-align: left; }
  table.stack td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  table.stack td > .badge, table.stack td > input { justify-self: start; align-self: center; }
  table.stack td.num { text-align: left; }
  table.stack td.full { display: block; } table.stack td.full::before { content: none; }
  figure.chart { overflow-x: auto; }
  figure.chart svg { min-width: 34rem; }
  .month-grid td.d { height: 3.6rem; font-size: .7rem; padding: .15rem; }
  .month-grid th { font-size: .7rem; padding: .15rem; overflow-wrap: anywhere; }
  dl.facts { grid-template-columns: minmax(0, 1fr); } dl.facts dd { margin-bottom: .3rem; }
}
@media print {
  header.top, nav.main, form.filters, .no-print, button, .button, .pager, .skip, .actions { display: none !important; }
  body { background: #fff; font-size: 10.5pt; } main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; } .scroll > table { min-width: 0; }
  .cols { grid-template-columns: 1fr 1fr; }
  table.stack thead { position: static; width: auto; height: auto; clip: auto; display: table-header-group; }
  thead { display: table-header-group; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  th, td { font-size: 9.5pt; padding: .15rem .3rem; }
  .timeline span, .due-marker, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details { display: block; } details > summary { list-style: none; }
  .paper { box-shadow: none; border: 0; }
  figure.chart svg { min-width: 0; }
  @page { margin: 15mm 12mm; }
}
`;

/**
 * The console's only script: buttons that print the page (no inline handlers, which a CSP would
 * block), and opening every drill-down before printing so that a printed report shows them.
 */
export const CONSOLE_JS = `
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) { event.preventDefault(); window.print(); }
});
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details[data-print-open]").forEach(function (d) { d.open = true; });
});
`;
