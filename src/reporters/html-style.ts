/** The HTML report's stylesheet: inline (the page loads nothing), allowed by its hash in the page's CSP. */
export const REPORT_CSS = `
:root {
  --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --soft: #f5f7fa; --accent: #2457c5;
  --blocked: #c0262d; --blocked-bg: #fdeceb; --incomplete: #7b2fa3; --incomplete-bg: #f4eafa;
  --warn: #a86400; --warn-bg: #fff3dc; --ready: #2b7a3d; --ready-bg: #e7f5ea;
  --coexist: #cf5a12; --coexist-bg: #fdeee3; --info: #2860b0; --info-bg: #e8f0fb; --prereq: #5b4bb5; --prereq-bg: #eeecfa;
}
* { box-sizing: border-box; }
html { scroll-padding-top: 3.4rem; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: var(--ink); background: #fff; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
p { margin: 6px 0; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header.top { border-bottom: 1px solid var(--line); padding: 20px 0 16px; background: var(--soft); }
.eyebrow { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
h1 { font-size: 26px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.headline-verdict { padding: 2px 12px; border-radius: 6px; color: #fff; font-size: 20px; letter-spacing: .02em; }
.meta { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line); }
nav.toc .wrap { display: flex; gap: 18px; overflow-x: auto; padding-top: 9px; padding-bottom: 9px; }
nav.toc a { text-decoration: none; color: var(--ink); white-space: nowrap; font-weight: 500; }
nav.toc a:hover { color: var(--accent); }
.forest-part { border-top: 3px solid var(--line); margin-top: 48px; padding-top: 8px; }
nav.forest-toc { display: flex; flex-wrap: wrap; gap: 14px; margin-bottom: 8px; }
section { padding: 22px 0 14px; border-bottom: 1px solid var(--line); }
section:last-of-type { border-bottom: 0; }
.lede { font-size: 15px; max-width: 78ch; }
.note { color: var(--muted); font-size: 12.5px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 14px 0 6px; }
.tile { display: block; text-decoration: none; color: var(--ink); border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 8px; padding: 10px 12px; background: #fff; }
a.tile:hover { box-shadow: 0 1px 6px rgba(0,0,0,.12); }
.tile .num { display: block; font-size: 26px; font-weight: 700; line-height: 1.1; }
.tile .label { color: var(--muted); font-size: 12.5px; }
.tile.zero { opacity: .6; }
.tile.hard { border-left-color: var(--blocked); } .tile.hard .num { color: var(--blocked); }
.tile.coexist { border-left-color: var(--coexist); } .tile.coexist .num { color: var(--coexist); }
.tile.prereq { border-left-color: var(--prereq); } .tile.prereq .num { color: var(--prereq); }
.tile.warning { border-left-color: var(--warn); } .tile.warning .num { color: var(--warn); }
.tile.question, .tile.incomplete { border-left-color: var(--incomplete); } .tile.question .num, .tile.incomplete .num { color: var(--incomplete); }
.tile.info { border-left-color: var(--info); } .tile.info .num { color: var(--info); }
.callout { border-radius: 8px; padding: 10px 14px; margin: 10px 0; border: 1px solid var(--line); background: var(--soft); }
.callout.incomplete { background: var(--incomplete-bg); border-color: #dcc5ea; }
.callout.prereq { background: var(--prereq-bg); border-color: #d3cef2; }
.callout ul, .callout ol { margin: 4px 0; padding-left: 20px; }
.v-ready { background: var(--ready); } .v-ready-with-warnings { background: var(--warn); }
.v-blocked { background: var(--blocked); } .v-incomplete { background: var(--incomplete); } .v-none { background: #9aa3b2; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11.5px; font-weight: 600; color: #fff; white-space: nowrap; line-height: 1.6; }
.status-passed { background: var(--ready); } .status-failed { background: var(--blocked); }
.status-not-evaluated { background: var(--incomplete); } .status-disabled { background: #8a93a3; }
.sev-hard { background: var(--blocked); } .sev-coexist { background: var(--coexist); } .sev-warning { background: var(--warn); }
.sev-info { background: var(--info); } .sev-out { background: #8a93a3; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0 10px; }
input[type=search], select { font: inherit; padding: 5px 9px; border: 1px solid #c5cbd6; border-radius: 6px; background: #fff; }
input[type=search] { min-width: 280px; }
button { font: inherit; font-size: 13px; padding: 4px 11px; border: 1px solid #c5cbd6; border-radius: 6px; background: #fff; cursor: pointer; }
button:hover { background: var(--soft); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; color: var(--muted); font-size: 12.5px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; flex: none; }
.tree-head, .tree .row { display: grid; grid-template-columns: minmax(0, 1fr) repeat(4, 74px) 210px; gap: 6px; align-items: center; }
.tree-head { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 4px 8px 4px 30px; }
.tree-head span:not(:first-child), .tree .num { text-align: right; font-variant-numeric: tabular-nums; }
.tree, .tree ul { list-style: none; margin: 0; padding: 0; }
.tree ul { padding-left: 20px; border-left: 1px dotted #cfd5df; margin-left: 13px; }
.tree summary { list-style: none; cursor: pointer; }
.tree summary::-webkit-details-marker { display: none; }
.tree .row { padding: 3px 8px; border-radius: 5px; }
.tree .row:hover { background: var(--soft); }
.tree .name { display: flex; align-items: center; gap: 7px; min-width: 0; }
.tree .name .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tree .twisty { width: 14px; flex: none; color: var(--muted); font-size: 10px; text-align: center; }
.tree summary .twisty::before { content: "\\25B6"; }
.tree details[open] > summary .twisty::before { content: "\\25BC"; }
.tree .kind { color: var(--muted); font-size: 11.5px; flex: none; }
.tree li.match > .row, .tree li.match > details > summary .row { background: #fff7c2; }
.tree .zero { color: #b6bcc7; }
.chips { display: flex; gap: 4px; justify-content: flex-end; }
.chip { border-radius: 9px; padding: 0 7px; font-size: 11.5px; font-weight: 600; white-space: nowrap; }
.chip.hard { background: var(--blocked-bg); color: var(--blocked); }
.chip.coexist { background: var(--coexist-bg); color: var(--coexist); }
.chip.warning { background: var(--warn-bg); color: var(--warn); }
.chip.prereq { background: var(--prereq-bg); color: var(--prereq); }
.chip.clean { background: var(--ready-bg); color: var(--ready); }
.depth-0 > details > summary .label, .depth-0 > .row .label { font-weight: 700; }
.depth-1 > details > summary .label, .depth-1 > .row .label { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: 12.5px; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.dn, td .dn { overflow-wrap: break-word; min-width: 12em; }
td.nowrap { white-space: nowrap; }
td code { overflow-wrap: anywhere; }
.scope-tag { font-size: 11.5px; color: var(--muted); border: 1px solid var(--line); border-radius: 9px; padding: 0 7px; }
th button.sort { border: 0; background: none; padding: 0; font-weight: 600; font-size: 12.5px; color: var(--ink); }
th button.sort::after { content: " \\2195"; color: #a2a9b6; }
th[aria-sort=ascending] button.sort::after { content: " \\2191"; color: var(--ink); }
th[aria-sort=descending] button.sort::after { content: " \\2193"; color: var(--ink); }
.table-scroll { overflow-x: auto; }
.finding { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: #fff; }
.finding > summary { cursor: pointer; padding: 9px 12px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.finding > summary .ftitle { font-weight: 600; }
.finding > summary .fid { color: var(--muted); font-size: 12px; }
.finding > summary .fcount { margin-left: auto; color: var(--muted); font-size: 12.5px; white-space: nowrap; }
.finding[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); border-radius: 8px 8px 0 0; }
.fbody { padding: 8px 14px 12px; }
.fbody .what { background: var(--ready-bg); border-radius: 6px; padding: 7px 10px; margin: 8px 0; }
.sources { color: var(--muted); font-size: 12.5px; }
.more { margin: 4px 0 8px; }
.shown { color: var(--muted); font-size: 12.5px; }
pre.scope { background: #1f2533; color: #e9edf5; border-radius: 8px; padding: 12px 14px; overflow-x: auto; margin: 6px 0; }
.scope-head { display: flex; align-items: center; justify-content: space-between; gap: 10px; margin-top: 12px; }
.copied { color: var(--ready); font-size: 12.5px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 16px; margin: 10px 0; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
figcaption { font-weight: 600; font-size: 13px; margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: var(--ink); }
svg.chart text.value { fill: var(--muted); }
svg .users { fill: #3b6fd4; } svg .groups { fill: #7fb0f5; } svg .contacts { fill: #9bc8a8; } svg .computers { fill: #c3c9d4; }
svg .hard { fill: var(--blocked); } svg .coexist { fill: var(--coexist); } svg .warning { fill: var(--warn); } svg .info { fill: var(--info); }
svg .objects { fill: #3b6fd4; }
svg.swatch { width: 11px; height: 11px; flex: none; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 6px 0 12px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
footer { color: var(--muted); font-size: 12px; padding: 18px 0 30px; }
[hidden] { display: none !important; }
@media (max-width: 900px) {
  .tree-head, .tree .row { grid-template-columns: minmax(0, 1fr) repeat(2, 64px) 150px; }
  .tree .col-contacts, .tree .col-computers { display: none; }
}
@media print {
  nav.toc, .toolbar, button:not(.sort), .more { display: none !important; }
  th button.sort::after { content: none !important; }
  header.top { background: none; }
  body { font-size: 11.5px; }
  .wrap { max-width: none; padding: 0; }
  section { break-inside: auto; }
  figure, tr, .finding > summary { break-inside: avoid; }
  .finding > summary { break-after: avoid; }
  .tile, .badge, .chip, .dot, .headline-verdict, svg.chart rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  pre.scope { background: none; color: var(--ink); border: 1px solid var(--line); white-space: pre-wrap; }
}
`;
