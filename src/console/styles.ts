// The console's one stylesheet, served from the app (no build step). Sized for 1366×768 office
// screens; colours pass WCAG AA contrast; a print stylesheet drops navigation and forms.
export const CONSOLE_CSS = `
:root { --ink:#1b1f24; --muted:#4a5560; --line:#c9d1d9; --bg:#f6f8fa; --brand:#8b1a1a; --link:#0b4f9c;
  --ok:#1a7f37; --warn:#8a5a00; --bad:#b42318; --paused:#6e40c9; --focus:#ffbf47; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: "Segoe UI", "Noto Sans", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.45; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { display: flex; align-items: center; gap: 1rem; background: var(--brand); color: #fff; padding: .5rem 1rem; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; text-decoration: none; }
header.top .who { margin-left: auto; font-size: .9rem; }
nav.main { display: flex; flex-wrap: wrap; gap: .25rem; background: #fff; border-bottom: 1px solid var(--line); padding: .25rem 1rem; }
nav.main a { padding: .35rem .6rem; border-radius: 4px; text-decoration: none; }
nav.main a[aria-current="page"] { background: var(--brand); color: #fff; }
main { max-width: 1320px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.45rem; margin: .25rem 0 .75rem; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; font-size: .93rem; }
th { background: #eef1f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: .6rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; text-decoration: none; color: inherit; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; border: 1px solid currentColor; white-space: nowrap; }
.s-overdue, .s-late { color: var(--bad); } .s-due_soon { color: var(--warn); } .s-on_track, .s-on_time, .s-early { color: var(--ok); } .s-closed { color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .75rem; }
label { display: block; font-weight: 600; font-size: .9rem; }
input, select, textarea, button { font: inherit; }
input, select, textarea { border: 1px solid #6b7681; border-radius: 4px; padding: .3rem .4rem; background: #fff; color: var(--ink); }
textarea { width: 100%; min-height: 5rem; }
.field { margin-bottom: .6rem; }
button, .button { display: inline-block; background: var(--link); color: #fff; border: 0; border-radius: 4px; padding: .4rem .8rem; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--link); border: 1px solid var(--link); }
button.danger { background: var(--bad); }
.flash { padding: .6rem .8rem; border-radius: 4px; margin-bottom: .75rem; border: 1px solid; background: #fff; }
.flash.ok { border-color: var(--ok); color: var(--ok); } .flash.error { border-color: var(--bad); color: var(--bad); }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; border: 1px solid var(--line); padding: .6rem; margin: 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
figure { margin: 0; }
.timeline { display: flex; height: 28px; border: 1px solid var(--line); background: #fff; }
.timeline span { display: block; height: 100%; min-width: 1px; }
.seg-counted { background: #2f81f7; } .seg-paused { background: var(--paused); } .seg-non_working { background: #d0d7de; }
.seg-voided { background: repeating-linear-gradient(45deg, #2f81f7, #2f81f7 3px, #fff 3px, #fff 6px); }
.legend span { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin: 0 .25rem 0 .75rem; }
.month-grid { table-layout: fixed; } .month-grid caption { text-align: left; font-weight: 700; padding: .25rem 0; }
.month-grid td.d { height: 4.6rem; font-size: .8rem; }
.month-grid td.off { background: #fde8e8; } .month-grid td.weekend { background: #eef1f4; } .month-grid td.makeup { background: #e6f4ea; }
.month-grid .day { font-weight: 700; }
.month-grid td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.provisional { border: 2px dashed var(--warn); padding: .3rem .5rem; color: var(--warn); display: inline-block; }
.pager { margin-top: .75rem; display: flex; gap: .5rem; }
details > summary { cursor: pointer; }
svg text { font-family: inherit; font-size: 11px; fill: var(--ink); }
@media print {
  header.top, nav.main, form.filters, .no-print, button, .pager, .skip { display: none !important; }
  body { background: #fff; font-size: 11pt; } main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .timeline span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
}
`;
