import { createHash } from 'node:crypto';
import { plural } from '../checks/support/ad-values.js';
import { dnKey, dnToDnsName, leafValue, parentKey } from '../model/dn.js';
import { VERDICT_LABEL, verdictReason } from '../report/headline.js';
import { NO_TENANT_CHECK, showsTenant, tenantTitle } from '../report/tenant-report.js';
import {
  type CheckStatus,
  type ContainerVerdict,
  type Finding,
  type ForestReport,
  type PilotPlan,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportObject,
  type Verdict,
} from '../report/schema.js';
import { barChart, type Bar } from './html-charts.js';
import { REPORT_SCRIPT } from './html-client.js';
import { html, jsonForScript, type Markup, markupText, safeHref, trustedMarkup } from './html-markup.js';
import { REPORT_CSS } from './html-style.js';

/**
 * The HTML report: one self-contained page (no request leaves it), built from the same Report object as the
 * JSON and Markdown reports. Sections follow the order a reader asks: verdict and why, the OU tree, the pilot
 * plan, findings, inventory, checks. The objects of findings (thousands of rows in a large forest) travel as
 * JSON and are rendered a page at a time by the page script; everything else is plain HTML, so it prints.
 */
export function renderHtml(report: Report): string {
  if (!showsTenant(report)) {
    const forest = report.forests[0] as ForestReport;
    return page(forestName(forest), forest.verdict, forestBody(forest, new Page('', 0)), forest.findings.map(objectRows));
  }
  return page(tenantTitle(report), report.verdict, tenantBody(report), [
    ...report.tenant.findings.map(objectRows),
    ...report.forests.flatMap((forest) => forest.findings.map(objectRows)),
  ]);
}

/**
 * Where one forest's part of the page puts its ids and its findings' object tables: with several forests,
 * each forest's ids start with its own prefix and its object tables follow those of the parts before it.
 */
class Page {
  constructor(
    private readonly prefix: string,
    readonly objectBase: number,
  ) {}

  id(name: string): string {
    return `${this.prefix}${name}`;
  }
}

function forestBody(report: ForestReport, at: Page): Markup {
  const forest = forestName(report);
  return html`<header class="top">
      <div class="wrap">
        <p class="eyebrow">Entra Connect Sync → Cloud Sync readiness · forest ${forest}</p>
        <h1><span class="headline-verdict v-${report.verdict}">${VERDICT_LABEL[report.verdict]}</span><span>${forest}</span></h1>
        <p class="meta">
          Target ${report.target}${report.allowPreview ? ' (preview features allowed)' : ''} · generated ${report.generatedAt} by readiness
          ${report.tool.version} · inputs: ${report.inputs.map((i) => `${i.label} (${i.kind})`).join(', ')}
        </p>
      </div>
    </header>
    <nav class="toc" aria-label="Sections">
      <div class="wrap">${sectionLinks(report, at)}</div>
    </nav>
    <main class="wrap">${forestSections(report, at)}</main>
    <footer class="wrap">
      readiness ${report.tool.version} · report schema ${REPORT_SCHEMA_VERSION} · the JSON report (--format json) carries the same data for automation.
    </footer>`;
}

function sectionLinks(report: ForestReport, at: Page): Markup {
  return html`${SECTIONS.filter(([id]) => id !== 'problems' || report.problems.length > 0).map(([id, title]) => html`<a href="#${at.id(id)}">${title}</a>`)}`;
}

function forestSections(report: ForestReport, at: Page): Markup {
  return html`${verdictSection(report, at)} ${treeSection(report, at)} ${pilotSection(report.pilotPlan, at)} ${findingsSection(report, at)}
  ${inventorySection(report, at)} ${checksSection(report, at)} ${problemsSection(report, at)}`;
}

/** Several forests: the tenant's verdict, its forests and the tenant-wide findings first, then each forest's report. */
function tenantBody(report: Report): Markup {
  const title = tenantTitle(report);
  let objectBase = report.tenant.findings.length;
  const parts = report.forests.map((forest, i) => {
    const at = new Page(`forest${i + 1}-`, objectBase);
    objectBase += forest.findings.length;
    return { forest, at };
  });
  return html`<header class="top">
      <div class="wrap">
        <p class="eyebrow">Entra Connect Sync → Cloud Sync readiness · one tenant, ${title}</p>
        <h1><span class="headline-verdict v-${report.verdict}">${VERDICT_LABEL[report.verdict]}</span><span>${title}</span></h1>
        <p class="meta">
          Target ${report.target}${report.allowPreview ? ' (preview features allowed)' : ''} · generated ${report.generatedAt} by readiness
          ${report.tool.version} · inputs: ${report.inputs.map((i) => `${i.label} (${i.kind})`).join(', ')}
        </p>
      </div>
    </header>
    <nav class="toc" aria-label="Sections">
      <div class="wrap"><a href="#tenant">Tenant</a>${parts.map(({ forest, at }) => html`<a href="#${at.id('verdict')}">${forest.name}</a>`)}</div>
    </nav>
    <main class="wrap">
      ${tenantSection(report, parts)}
      ${parts.map(
        ({ forest, at }) =>
          html`<div class="forest-part">
            <h2 class="forest-title">Forest ${forest.name}: <span class="headline-verdict v-${forest.verdict}">${VERDICT_LABEL[forest.verdict]}</span></h2>
            <nav class="forest-toc" aria-label="Sections of ${forest.name}">${sectionLinks(forest, at)}</nav>
            ${forestSections(forest, at)}
          </div>`,
      )}
    </main>
    <footer class="wrap">
      readiness ${report.tool.version} · report schema ${REPORT_SCHEMA_VERSION} · the JSON report (--format json) carries the same data for automation.
    </footer>`;
}

function tenantSection(report: Report, parts: readonly { forest: ForestReport; at: Page }[]): Markup {
  const tenantAt = new Page('tenant-', 0);
  return html`<section id="tenant">
    <h2>Tenant: the worst verdict of its forests and the tenant-wide checks</h2>
    <p class="lede"><strong>${VERDICT_LABEL[report.verdict]}:</strong> ${verdictReason(report)}</p>
    ${
      report.complete
        ? ''
        : html`<div class="callout incomplete">
            <strong>Why the scan is incomplete</strong>:
            <ul>
              ${report.incompleteReasons.map((r) => html`<li>${r}</li>`)}
            </ul>
          </div>`
    }
    <div class="table-scroll">
      <table class="sortable">
        <thead>
          <tr>
            ${['Forest', 'Verdict', 'Hard blockers', 'Coexistence', 'Warnings', 'Open questions', 'Domains', 'Users'].map(
              (h) => html`<th><button type="button" class="sort">${h}</button></th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${parts.map(
            ({ forest, at }) =>
              html`<tr>
                <td><a href="#${at.id('verdict')}">${forest.name}</a></td>
                <td class="nowrap" data-sort="${forest.verdict}"><span class="dot v-${forest.verdict}"></span> ${VERDICT_LABEL[forest.verdict]}</td>
                <td class="num">${n(forest.summary.hardBlockers)}</td>
                <td class="num">${n(forest.summary.coexistenceBlockers)}</td>
                <td class="num">${n(forest.summary.warnings)}</td>
                <td class="num">${n(forest.summary.openQuestions)}</td>
                <td class="num">${n(forest.inventory.domains.length)}</td>
                <td class="num">${n(forest.inventory.totals.users)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h3>Tenant-wide findings (across forests)</h3>
    ${
      report.tenant.findings.length === 0
        ? html`<p class="note">${report.tenant.checks.length === 0 ? `${NO_TENANT_CHECK}.` : 'No findings.'}</p>`
        : report.tenant.findings.map((f, index) => {
            const group = groupOf(f);
            return findingDetails(f, index, GROUPS.find((g) => g.group === group)?.badge ?? group, group, new Map(), tenantAt);
          })
    }
    ${
      report.tenant.checks.length === 0
        ? ''
        : html`<h3>Tenant-wide checks</h3>
            ${checkTable(report.tenant.checks)}`
    }
  </section>`;
}

function page(title: string, verdict: Verdict, body: Markup, objects: ReturnType<typeof objectRows>[]): string {
  const data = html`<script type="application/json" id="report-data">
    ${trustedMarkup(jsonForScript({ objects }))}
  </script>`;
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(REPORT_CSS)}'`,
    `script-src '${sha256(REPORT_SCRIPT)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
${markupText(html`<title>Cloud Sync readiness: ${VERDICT_LABEL[verdict]} · ${title}</title>`)}
<style>${REPORT_CSS}</style>
</head>
<body>
${markupText(html`${body} ${data}`)}
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

const SECTIONS: readonly [string, string][] = [
  ['verdict', 'Verdict'],
  ['tree', 'Forest and OUs'],
  ['pilot', 'Pilot plan'],
  ['findings', 'Findings'],
  ['inventory', 'Inventory'],
  ['checks', 'Checks'],
  ['problems', 'Input problems'],
];

type FindingGroup = 'hard' | 'coexist' | 'warning' | 'info' | 'out';

const GROUPS: readonly { group: FindingGroup; heading: string; badge: string }[] = [
  { group: 'hard', heading: 'Hard blockers', badge: 'hard blocker' },
  { group: 'coexist', heading: 'Blockers Connect Sync can keep side by side (coexistence)', badge: 'coexistence' },
  { group: 'warning', heading: 'Warnings', badge: 'warning' },
  { group: 'info', heading: 'Info', badge: 'info' },
  { group: 'out', heading: 'Outside the configured scope (not counted)', badge: 'out of scope' },
];

function groupOf(f: Finding): FindingGroup {
  if (!f.inScope) return 'out';
  if (f.severity === 'blocker') return f.coexistence ? 'coexist' : 'hard';
  return f.severity;
}

/** The forest's DNS name as people say it ("corp.contoso.com"), from its root domain's DN. */
function forestName(report: ForestReport): string {
  const { forest, domains } = report.inventory;
  if (forest.name !== undefined) return forest.name;
  const root = forest.rootDomain;
  // Without the configuration partition the root is unknown: name the domains that were read instead.
  if (root === undefined) return domains.length === 0 ? 'forest not read' : `${domains.map((d) => d.dnsName).join(', ')} (forest root not read)`;
  return domains.find((d) => dnKey(d.dn) === dnKey(root))?.dnsName ?? dnToDnsName(root);
}

const n = (value: number): string => value.toLocaleString('en-US');

/** A DN that may wrap after each comma in a narrow cell (text escaped by html as always). */
function dnText(dn: string): Markup {
  return html`${dn.split(',').map((part, i) => html`${i === 0 ? '' : html`,<wbr />`}${part}`)}`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function sources(list: readonly { title: string; url: string; date: string }[]): Markup {
  return html`${list.map((s, i) => {
    const href = safeHref(s.url);
    const title = href === undefined ? html`${s.title}` : html`<a href="${href}" rel="noreferrer noopener">${s.title}</a>`;
    return html`${i === 0 ? '' : '; '}${title} (${s.date})`;
  })}`;
}

function verdictSection(report: ForestReport, at: Page): Markup {
  const { summary } = report;
  const incompleteCount = report.incompleteReasons.length;
  const tile = (className: string, count: number, label: string, target: string): Markup =>
    html`<a class="tile ${className}${count === 0 ? ' zero' : ''}" href="#${at.id(target)}"
      ><span class="num">${n(count)}</span><span class="label">${label}</span></a
    >`;
  return html`<section id="${at.id('verdict')}">
    <h2>Verdict and why</h2>
    <p class="lede"><strong>${VERDICT_LABEL[report.verdict]}:</strong> ${verdictReason(report)}</p>
    <div class="tiles">
      ${tile('hard', summary.hardBlockers, 'hard blockers', 'findings-hard')}
      ${tile('coexist', summary.coexistenceBlockers, 'coexistence blockers', 'findings-coexist')}
      ${tile('prereq', report.pilotPlan.prerequisites.length, 'prerequisites for every OU', 'prerequisites')}
      ${tile('warning', summary.warnings, 'warnings', 'findings-warning')} ${tile('question', summary.openQuestions, 'open questions', 'questions')}
      ${tile('incomplete', incompleteCount, 'data gaps', 'incomplete')} ${tile('info', summary.info, 'for information', 'findings-info')}
    </div>
    <p class="note">
      Checks: ${n(summary.checksPassed)} passed, ${n(summary.checksFailed)} failed, ${n(summary.checksNotEvaluated)} not evaluated, ${n(summary.checksDisabled)}
      switched
      off.${summary.findingsOutOfScope > 0 ? ` ${plural(summary.findingsOutOfScope, 'finding')} outside the configured scope are listed but not counted.` : ''}
    </p>
    <div id="${at.id('incomplete')}">
      ${
        report.complete
          ? html`<p class="note">Data complete: every partition and every check was read and evaluated.</p>`
          : html`<div class="callout incomplete">
              <strong>Why the scan is incomplete</strong> (no clean verdict until these are resolved):
              <ul>
                ${report.incompleteReasons.map((r) => html`<li>${r}</li>`)}
              </ul>
            </div>`
      }
    </div>
    <div id="${at.id('questions')}">${openQuestions(report)}</div>
    ${settings(report)}
  </section>`;
}

function openQuestions(report: ForestReport): Markup {
  if (report.openQuestions.length === 0) return html``;
  return html`<h3>Open questions (${report.openQuestions.length})</h3>
    <p class="note">
      LDAP cannot show these, and nothing is assumed for them: answer them in an answers file (<code>readiness answers --init answers.yaml</code>) and scan
      again with <code>--answers answers.yaml</code>.
    </p>
    <table>
      <thead>
        <tr>
          <th>Question</th>
          <th>Answers</th>
          <th>How to find out</th>
          <th>Asked by</th>
        </tr>
      </thead>
      <tbody>
        ${report.openQuestions.map(
          (q) =>
            html`<tr>
              <td><strong>${q.text}</strong><br /><code>${q.id}</code></td>
              <td>${q.choices.join(' | ')}</td>
              <td>${q.howToFind}</td>
              <td>${q.askedBy.map((id, i) => html`${i === 0 ? '' : ', '}<code>${id}</code>`)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function settings(report: ForestReport): Markup {
  const { settings: s } = report;
  const items: Markup[] = [];
  if (s.configFile !== undefined) items.push(html`<li>Config file: <code>${s.configFile}</code></li>`);
  if (s.answersFile !== undefined) {
    items.push(
      html`<li>
        <details>
          <summary>Answers file <code>${s.answersFile}</code>: ${plural(report.answers.length, 'answer')}</summary>
          <ul>
            ${report.answers.map((a) => html`<li><code>${a.id}</code>: ${a.answer}</li>`)}
          </ul>
        </details>
      </li>`,
    );
  }
  if (s.scope !== undefined) {
    items.push(
      html`<li>
        Judged only inside: ${s.scope.include.map((dn, i) => html`${i === 0 ? '' : ', '}<code>${dn}</code>`)}; findings wholly outside are listed but not
        counted.
      </li>`,
    );
    if (s.scope.notFound.length > 0)
      items.push(html`<li>Not in the input: ${s.scope.notFound.map((dn, i) => html`${i === 0 ? '' : ', '}<code>${dn}</code>`)}</li>`);
  }
  for (const d of s.disabled) items.push(html`<li>Switched off: <code>${d.id}</code>${d.by === d.id ? '' : html` (by "${d.by}")`}</li>`);
  for (const o of s.options) items.push(html`<li>Threshold changed: <code>${o.check}</code> ${o.option} = ${n(o.value)} (default ${n(o.default)})</li>`);
  return items.length === 0
    ? html``
    : html`<h3>Settings</h3>
        <ul>
          ${items}
        </ul>`;
}

// --- The forest → domain → OU tree.

interface Tallies {
  hardBlockers: number;
  coexistenceBlockers: number;
  warnings: number;
}

interface TreeNode {
  dn: string;
  label: string;
  kind: string;
  verdict: Verdict;
  counts: { users: number; groups: number; contacts: number; computers: number } | undefined;
  tallies: Tallies;
  children: TreeNode[];
}

const KIND_TEXT: Record<ContainerVerdict['kind'], string> = { domain: 'domain', 'organizational-unit': 'OU', container: 'container', implied: 'implied' };

/** Above this many nodes the tree opens only the forest and its domains at first. */
const TREE_OPEN_LIMIT = 300;

function hasObjects(c: ContainerVerdict['counts']): boolean {
  return c.users + c.groups + c.contacts + c.computers + c.managedServiceAccounts > 0;
}

function buildTree(report: ForestReport): { root: TreeNode; size: number; leftOut: number } {
  const { summary, inventory } = report;
  const root: TreeNode = {
    dn: '',
    label: `Forest ${forestName(report)}`,
    kind: 'forest',
    verdict: report.verdicts.forest,
    counts: inventory.totals,
    tallies: summary,
    children: [],
  };
  const byKey = new Map<string, TreeNode>();
  const inventoryDomains = new Map(inventory.domains.map((d) => [dnKey(d.dn), d]));
  for (const d of report.verdicts.domains) {
    const key = dnKey(d.dn);
    const facts = inventoryDomains.get(key);
    const node: TreeNode = { dn: d.dn, label: facts?.dnsName ?? d.dn, kind: 'domain', verdict: d.verdict, counts: facts, tallies: d, children: [] };
    byKey.set(key, node);
    root.children.push(node);
  }
  let size = 1 + root.children.length;
  let leftOut = 0;
  // Containers come parents first; empty system containers (CN=Builtin...) say nothing here and stay in the JSON.
  for (const c of report.verdicts.containers) {
    if (c.kind === 'domain') continue;
    if (!hasObjects(c.counts)) {
      leftOut++;
      continue;
    }
    const key = dnKey(c.dn);
    let parent: TreeNode | undefined;
    for (let up = parentKey(key); up !== '' && parent === undefined; up = parentKey(up)) parent = byKey.get(up);
    const node: TreeNode = { dn: c.dn, label: leafValue(c.dn), kind: KIND_TEXT[c.kind], verdict: c.verdict, counts: c.counts, tallies: c, children: [] };
    byKey.set(key, node);
    (parent ?? root).children.push(node);
    size++;
  }
  return { root, size, leftOut };
}

function countCell(value: number | undefined, column: string): Markup {
  return html`<span class="num col-${column}${value === 0 ? ' zero' : ''}">${value === undefined ? '–' : n(value)}</span>`;
}

function chips(t: Tallies): Markup {
  const parts: Markup[] = [];
  if (t.hardBlockers > 0) parts.push(html`<span class="chip hard" title="hard blockers">${n(t.hardBlockers)} hard</span>`);
  if (t.coexistenceBlockers > 0)
    parts.push(html`<span class="chip coexist" title="blockers Connect Sync keeps side by side">${n(t.coexistenceBlockers)} coexist</span>`);
  if (t.warnings > 0) parts.push(html`<span class="chip warning" title="warnings">${n(t.warnings)} warn</span>`);
  if (parts.length === 0) parts.push(html`<span class="chip clean">no findings</span>`);
  return html`<span class="chips">${parts}</span>`;
}

function treeNode(node: TreeNode, depth: number, openAll: boolean): Markup {
  const row = html`<span class="row"
    ><span class="name"
      ><span class="twisty"></span><span class="dot v-${node.verdict}" title="${VERDICT_LABEL[node.verdict]}"></span
      ><span class="label" title="${node.dn === '' ? node.label : node.dn}">${node.label}</span
      ><span class="kind">${node.kind} · ${VERDICT_LABEL[node.verdict].toLowerCase()}</span></span
    >${countCell(node.counts?.users, 'users')}${countCell(node.counts?.groups, 'groups')}${countCell(node.counts?.contacts, 'contacts')}${countCell(node.counts?.computers, 'computers')}${chips(node.tallies)}</span
  >`;
  const attributes = html`class="depth-${Math.min(depth, 2)}" data-verdict="${node.verdict}" data-search="${`${node.label}\n${node.dn}`.toLowerCase()}"`;
  if (node.children.length === 0) return html`<li ${attributes}>${row}</li>`;
  const open = openAll || depth < 2;
  return html`<li ${attributes}><details${open ? html` open` : ''}><summary>${row}</summary><ul>${node.children.map((child) => treeNode(child, depth + 1, openAll))}</ul></details></li>`;
}

function treeSection(report: ForestReport, at: Page): Markup {
  const { root, size, leftOut } = buildTree(report);
  return html`<section id="${at.id('tree')}">
    <h2>Forest, domains and OUs</h2>
    <p class="note">
      An OU's colour is its own verdict: what its subtree holds. Forest- and domain-wide findings are prerequisites every OU shares, listed once in the
      <a href="#${at.id('pilot')}">pilot plan</a>; a domain's colour counts them. Counts are objects in the subtree. Click a node to fold it.
    </p>
    <div class="toolbar">
      <input type="search" id="${at.id('tree-filter')}" placeholder="Filter by OU name or DN" aria-label="Filter the tree by OU name or DN" />
      <select id="${at.id('tree-verdict')}" aria-label="Show only this verdict">
        <option value="">every verdict</option>
        ${(['blocked', 'incomplete', 'ready-with-warnings', 'ready'] as const).map((v) => html`<option value="${v}">${VERDICT_LABEL[v].toLowerCase()}</option>`)}
      </select>
      <button type="button" id="${at.id('tree-expand')}">Expand all</button><button type="button" id="${at.id('tree-collapse')}">Collapse all</button>
      <span class="legend"
        >${(['blocked', 'incomplete', 'ready-with-warnings', 'ready'] as const).map((v) => html`<span><span class="dot v-${v}"></span>${VERDICT_LABEL[v]}</span>`)}</span
      >
    </div>
    <div class="tree-head">
      <span>Name</span><span class="col-users">Users</span><span class="col-groups">Groups</span><span class="col-contacts">Contacts</span
      ><span class="col-computers">Computers</span><span>Findings</span>
    </div>
    <ul class="tree" id="${at.id('ou-tree')}">
      ${treeNode(root, 0, size <= TREE_OPEN_LIMIT)}
    </ul>
    <p id="${at.id('tree-empty')}" class="note" hidden>No OU matches the filter.</p>
    ${leftOut > 0 ? html`<p class="note">${plural(leftOut, 'container')} holding no users, groups, contacts or computers are left out (they are in the JSON report).</p>` : ''}
  </section>`;
}

// --- Pilot plan.

type Candidate = PilotPlan['candidates'][number];

function candidateTable(list: readonly Candidate[]): Markup {
  return html`<div class="table-scroll">
    <table class="sortable">
      <thead>
        <tr>
          ${['#', 'OU', 'Domain', 'Own verdict', 'Users', 'Groups', 'Contacts', 'Synced objects', 'Connect keeps', 'Why this wave'].map(
            (h) => html`<th><button type="button" class="sort">${h}</button></th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (c) =>
            html`<tr>
              <td class="num">${c.rank}</td>
              <td class="dn">${dnText(c.dn)}</td>
              <td>${c.domain}</td>
              <td class="nowrap" data-sort="${c.verdict}"><span class="dot v-${c.verdict}"></span> ${VERDICT_LABEL[c.verdict]}</td>
              <td class="num" data-sort="${c.counts.users}">${n(c.counts.users)}</td>
              <td class="num" data-sort="${c.counts.groups}">${n(c.counts.groups)}</td>
              <td class="num" data-sort="${c.counts.contacts}">${n(c.counts.contacts)}</td>
              <td class="num" data-sort="${c.syncedObjects}">${n(c.syncedObjects)}</td>
              <td>${c.connectKeeps.length === 0 ? '–' : c.connectKeeps.map((k, i) => html`${i === 0 ? '' : ', '}<code>${k}</code>`)}</td>
              <td>${c.why}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The OU lists of one wave, one block with a copy button per domain; `id` keeps the blocks' ids unique. */
function scopeBlocks(scope: PilotPlan['cloudSync'], id: string): Markup {
  return html`${scope.map(
    (config, i) =>
      html`<div class="scope-head">
          <span>Configuration for <strong>${config.domain}</strong> (${plural(config.syncedObjects, 'object')}, ${plural(config.ous.length, 'OU')})</span
          ><span><button type="button" data-copy="${id}-${i}">Copy</button><span class="copied" hidden> copied</span></span>
        </div>
        <pre class="scope" id="${id}-${i}">${config.ous.join('\n')}</pre>`,
  )}`;
}

function prerequisites(plan: PilotPlan, at: Page): Markup | string {
  if (plan.prerequisites.length === 0) return '';
  return html`<div class="callout prereq" id="${at.id('prerequisites')}">
    <strong>Prerequisites</strong> (forest- and domain-wide, shared by every OU, so listed once here and not against each OU):
    <ul>
      ${plan.prerequisites.map(
        (p) =>
          html`<li>
            <span class="badge ${p.mustFixFirst ? 'sev-hard' : 'sev-warning'}">${p.mustFixFirst ? 'fix first' : 'settle before the move'}</span>
            <a href="#${at.id(`f-${p.fingerprint}`)}">${p.title}</a>
            <span class="scope-tag">${p.domain === undefined ? 'forest-wide' : `domain ${p.domain}`}</span>
          </li>`,
      )}
    </ul>
  </div>`;
}

function pilotSection(plan: PilotPlan, at: Page): Markup {
  const waveTitles = new Map<number, string>([[1, 'the pilot'], ...plan.laterWaves.map((w): [number, string] => [w.wave, w.title])]);
  const waves = [...new Set(plan.candidates.flatMap((c) => (c.wave === undefined ? [] : [c.wave])))].sort((a, b) => a - b);
  const leftOut = plan.candidates.filter((c) => c.wave === undefined);
  const limits = [`about ${plan.limits.ousPerConfiguration} OUs per Cloud Sync configuration (4 MB)`];
  if (plan.limits.containersPerDomain !== undefined) limits.push(`${plan.limits.containersPerDomain} containers per domain`);
  if (plan.limits.objects !== undefined) limits.push(`${n(plan.limits.objects)} in-scope objects`);
  const calloutClass = plan.status === 'incomplete' ? ' incomplete' : plan.status === 'after-prerequisites' ? ' prereq' : '';
  return html`<section id="${at.id('pilot')}">
    <h2>Pilot plan: which OUs can move first</h2>
    ${
      plan.reasons.length === 0
        ? ''
        : html`<div class="callout${calloutClass}">
            <ul>
              ${plan.reasons.map((r) => html`<li>${r}</li>`)}
            </ul>
          </div>`
    }
    ${prerequisites(plan, at)}
    ${
      plan.candidates.length === 0
        ? ''
        : html`<p class="lede">Candidates are OUs clean on their own: their whole subtree was read and owns no hard blocker.</p>
            <p class="note">Ranking: ${plan.ranking}</p>
            ${waves.map((wave) => {
              const list = plan.candidates.filter((c) => c.wave === wave);
              return html`<h3>Wave ${wave}: ${waveTitles.get(wave) ?? ''} (${plural(list.length, 'OU')})</h3>
                ${candidateTable(list)}`;
            })}
            ${
              leftOut.length === 0
                ? ''
                : html`<h3>Left out by a scoping limit (${plural(leftOut.length, 'OU')})</h3>
                    ${candidateTable(leftOut)}`
            }`
    }
    ${
      plan.cloudSync.length === 0
        ? ''
        : html`<h3>Cloud Sync scope to paste, wave 1: the pilot</h3>
            <p class="note">Limits: ${limits.join(', ')}. Paste into each domain's Cloud Sync configuration, "Selected organizational units".</p>
            ${scopeBlocks(plan.cloudSync, at.id('scope'))}`
    }
    ${plan.laterWaves.map(
      (w) =>
        html`<h3>Then wave ${w.wave}: ${w.title}</h3>
          <p class="note">Add these to the scope once the wave before runs cleanly.</p>
          ${scopeBlocks(w.cloudSync, at.id(`scope-wave${w.wave}`))}`,
    )}
    <h3>Connect Sync side (${plan.connectSync.method === 'migration-tool' ? 'guided migration tool' : 'cloudNoFlow rules'})</h3>
    ${
      plan.connectSync.steps.length === 0
        ? ''
        : html`<ol>
            ${plan.connectSync.steps.map((s) => html`<li>${s}</li>`)}
          </ol>`
    }
    ${
      plan.connectSync.scopingFilters.length === 0
        ? ''
        : html`<p>Scoping-filter groups for the inbound rules, one per pilot OU:</p>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>Object types</th>
                    <th>Attribute</th>
                    <th>Operator</th>
                    <th>Value</th>
                  </tr>
                </thead>
                <tbody>
                  ${plan.connectSync.scopingFilters.map(
                    (f) =>
                      html`<tr>
                        <td>${f.objectTypes.join(', ')}</td>
                        <td>${f.attribute}</td>
                        <td>${f.operator}</td>
                        <td class="dn">${dnText(f.value)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
    ${
      plan.connectKeeps.length === 0
        ? ''
        : html`<p>Connect Sync keeps handling, side by side:</p>
            <ul>
              ${plan.connectKeeps.map((k) => html`<li><code>${k.key}</code>: ${k.title} (${n(k.count)})</li>`)}
            </ul>`
    }
    ${
      plan.notes.length === 0
        ? ''
        : html`<ul class="note">
            ${plan.notes.map((note) => html`<li>${note}</li>`)}
          </ul>`
    }
    <p class="sources">Sources: ${sources(plan.sources)}</p>
  </section>`;
}

// --- Findings.

const OBJECT_COLUMNS: readonly [keyof ReportObject, string][] = [
  ['dn', 'DN'],
  ['detail', 'Detail'],
  ['samAccountName', 'sAMAccountName'],
  ['objectClass', 'Class'],
  ['attribute', 'Attribute'],
  ['value', 'Value'],
  ['guid', 'objectGUID'],
  ['forest', 'Forest'],
];

/**
 * Rows a finding's table carries. The page is one string, built in the scan's memory and parsed whole by the browser:
 * a finding that lists every user of a large forest would make it hundreds of megabytes. Past this the table shows
 * the first objects (in the report's DN order) and says where the whole list is.
 */
export const HTML_OBJECTS_PER_FINDING = 10_000;

/** The objects a finding's table shows: all of them, or the first HTML_OBJECTS_PER_FINDING. */
function shownObjects(f: Finding): readonly ReportObject[] {
  return f.objects.length > HTML_OBJECTS_PER_FINDING ? f.objects.slice(0, HTML_OBJECTS_PER_FINDING) : f.objects;
}

/** A finding's objects as rows for the page script, with only the columns some shown object fills. */
function objectRows(f: Finding): { columns: string[]; rows: string[][] } | null {
  if (f.objects.length === 0) return null;
  const shown = shownObjects(f);
  const used = OBJECT_COLUMNS.filter(([field]) => shown.some((o) => o[field] !== undefined));
  return { columns: used.map(([, label]) => label), rows: shown.map((o) => used.map(([field]) => o[field] ?? '')) };
}

function objectsNote(f: Finding): Markup | string {
  if (f.objects.length > HTML_OBJECTS_PER_FINDING) {
    return html` <span class="note"
      >(the first ${n(HTML_OBJECTS_PER_FINDING)} of ${n(f.objects.length)} listed, by DN; --format json or csv lists every one)</span
    >`;
  }
  return f.objects.length === f.count ? '' : html` <span class="note">(${n(f.objects.length)} listed)</span>`;
}

function scopeLabel(f: Finding, domainNames: ReadonlyMap<string, string>): Markup | string {
  if (f.scope.kind === 'forest') return html`<span class="scope-tag">forest-wide</span>`;
  if (f.scope.kind === 'tenant') return html`<span class="scope-tag">tenant-wide</span>`;
  if (f.scope.kind === 'domain') return html`<span class="scope-tag">domain ${domainNames.get(dnKey(f.scope.dn)) ?? f.scope.dn}</span>`;
  return '';
}

function findingDetails(f: Finding, index: number, badge: string, group: FindingGroup, domainNames: ReadonlyMap<string, string>, at: Page): Markup {
  return html`<details class="finding" id="${at.id(`f-${f.fingerprint}`)}">
    <summary>
      <span class="badge sev-${group}">${badge}</span><span class="ftitle">${f.title}</span
      ><code class="fid">${f.key}</code
      >${scopeLabel(f, domainNames)}${f.objects.length === 0 ? '' : html`<span class="fcount">${plural(f.count, 'object')}</span>`}
    </summary>
    <div class="fbody">
      <p>${f.message}</p>
      <p class="what"><strong>What to do:</strong> ${f.remediation}</p>
      <p class="sources">Sources: ${sources(f.sources)}</p>
      ${
        f.objects.length === 0
          ? ''
          : html`<h4>Objects${objectsNote(f)}</h4>
              <div class="objects" data-objects="${at.objectBase + index}"></div>`
      }
    </div>
  </details>`;
}

function findingsSection(report: ForestReport, at: Page): Markup {
  const indexed = report.findings.map((finding, index) => ({ finding, index }));
  const domainNames = new Map(report.inventory.domains.map((d) => [dnKey(d.dn), d.dnsName]));
  return html`<section id="${at.id('findings')}">
    <h2>Findings</h2>
    ${report.findings.length === 0 ? html`<p>No findings.</p>` : html`<p class="note">Click a finding for its message, what to do, its sources and its objects (searchable, sortable: click a column).</p>`}
    ${GROUPS.map(({ group, heading, badge }) => {
      const list = indexed.filter(({ finding }) => groupOf(finding) === group);
      return html`<div id="${at.id(`findings-${group}`)}">
        ${
          list.length === 0
            ? ''
            : html`<h3>${heading} (${list.length})</h3>
                ${list.map(({ finding, index }) => findingDetails(finding, index, badge, group, domainNames, at))}`
        }
      </div>`;
    })}
  </section>`;
}

// --- Inventory.

const LARGEST_OUS = 10;

function inventorySection(report: ForestReport, at: Page): Markup {
  const { inventory } = report;
  const f = inventory.forest;
  const domainBars: Bar[] = inventory.domains.map((d) => ({
    label: d.dnsName,
    title: d.dn,
    segments: [
      { value: d.users, className: 'users', name: 'users' },
      { value: d.groups, className: 'groups', name: 'groups' },
      { value: d.contacts, className: 'contacts', name: 'contacts' },
      { value: d.computers, className: 'computers', name: 'computers' },
    ],
  }));
  const inScope = report.findings.filter((x) => x.inScope);
  const severityBars: Bar[] = GROUPS.filter((g) => g.group !== 'out').map(({ group, heading }) => ({
    label: heading.replace(/ \(.*$/, '').replace('Blockers Connect Sync can keep side by side', 'Coexistence blockers'),
    segments: [{ value: inScope.filter((x) => groupOf(x) === group).length, className: group, name: 'findings' }],
  }));
  const objects = (c: ContainerVerdict['counts']): number => c.users + c.groups + c.contacts + c.computers + c.managedServiceAccounts;
  const largest = report.verdicts.containers
    .filter((c) => c.kind !== 'domain' && objects(c.counts) > 0)
    .sort((a, b) => objects(b.counts) - objects(a.counts))
    .slice(0, LARGEST_OUS)
    .map((c): Bar => ({ label: leafValue(c.dn), title: c.dn, segments: [{ value: objects(c.counts), className: 'objects', name: 'objects in the subtree' }] }));
  const yesNo = (v: boolean | undefined, unknown: string): string => (v === undefined ? unknown : v ? 'yes' : 'no');
  return html`<section id="${at.id('inventory')}">
    <h2>Inventory</h2>
    <dl class="facts">
      <dt>Root domain</dt>
      <dd>${f.rootDomain ?? 'unknown'}</dd>
      <dt>Forest functional level</dt>
      <dd>${f.functionalLevel ?? 'unknown'}</dd>
      <dt>Schema version (objectVersion)</dt>
      <dd>${f.schemaVersion ?? 'unknown'}</dd>
      <dt>msDS-ExternalDirectoryObjectId in schema</dt>
      <dd>${yesNo(f.hasExternalDirectoryObjectId, 'unknown (schema not read)')}</dd>
      <dt>UPN suffixes</dt>
      <dd>${f.upnSuffixes.length === 0 ? '(none besides domain names)' : f.upnSuffixes.join(', ')}</dd>
      <dt>Partitions read</dt>
      <dd>configuration: ${yesNo(f.partitionsRead.configuration, '')}, schema: ${yesNo(f.partitionsRead.schema, '')}</dd>
      <dt>Entries read</dt>
      <dd>${n(inventory.totals.entries)}</dd>
    </dl>
    <div class="charts">
      ${barChart('Objects per domain', domainBars, [
        { className: 'users', name: 'users' },
        { className: 'groups', name: 'groups' },
        { className: 'contacts', name: 'contacts' },
        { className: 'computers', name: 'computers' },
      ])}
      ${barChart('Findings per severity (in scope)', severityBars)} ${barChart(`Largest OUs (objects in the subtree, top ${LARGEST_OUS})`, largest)}
    </div>
    <h3>Domains</h3>
    <div class="table-scroll">
      <table class="sortable">
        <thead>
          <tr>
            ${['Domain', 'Verdict', 'Users', 'Groups', 'Contacts', 'Computers', 'Service accounts', 'Excluded', 'Level', 'Partition read'].map((h) => html`<th><button type="button" class="sort">${h}</button></th>`)}
          </tr>
        </thead>
        <tbody>
          ${inventory.domains.map((d) => {
            const verdict = report.verdicts.domains.find((v) => dnKey(v.dn) === dnKey(d.dn))?.verdict;
            const num = (value: number): Markup => html`<td class="num" data-sort="${value}">${n(value)}</td>`;
            return html`<tr>
              <td><strong>${d.dnsName}</strong><br /><span class="dn note">${dnText(d.dn)}</span></td>
              <td class="nowrap" data-sort="${verdict ?? ''}">
                ${verdict === undefined ? 'not judged (out of scope)' : html`<span class="dot v-${verdict}"></span> ${VERDICT_LABEL[verdict]}`}
              </td>
              ${num(d.users)}${num(d.groups)}${num(d.contacts)}${num(d.computers)}${num(d.managedServiceAccounts)}${num(d.excluded)}
              <td class="num">${d.functionalLevel ?? '?'}</td>
              <td>${d.partitionRead ? 'yes' : 'no'}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    ${
      inventory.groups.large.length === 0
        ? ''
        : html`<h3>Large groups (${inventory.groups.large.length} of ${n(inventory.groups.total)} groups)</h3>
            <div class="table-scroll">
              <table class="sortable">
                <thead>
                  <tr>
                    ${['Group', 'Members', 'Completeness'].map((h) => html`<th><button type="button" class="sort">${h}</button></th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${inventory.groups.large.map(
                    (g) =>
                      html`<tr>
                        <td class="dn">${dnText(g.dn)}</td>
                        <td class="num" data-sort="${g.members}">${n(g.members)}</td>
                        <td>${g.completeness}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
    ${
      inventory.trusts.length === 0
        ? ''
        : html`<h3>Trusts (${inventory.trusts.length})</h3>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>Partner</th>
                    <th>Direction</th>
                    <th>Type</th>
                    <th>Attributes</th>
                    <th>DN</th>
                  </tr>
                </thead>
                <tbody>
                  ${inventory.trusts.map(
                    (t) =>
                      html`<tr>
                        <td>${t.partner}</td>
                        <td>${t.direction ?? '?'}</td>
                        <td>${t.type ?? '?'}</td>
                        <td>${t.attributes ?? '?'}</td>
                        <td class="dn">${dnText(t.dn)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
  </section>`;
}

// --- Checks and input problems.

const STATUS_ORDER: Record<CheckStatus['status'], number> = { failed: 0, 'not-evaluated': 1, passed: 2, disabled: 3 };

function checksSection(report: ForestReport, at: Page): Markup {
  return html`<section id="${at.id('checks')}">
    <h2>Checks (${report.checks.length})</h2>
    ${checkTable(report.checks)}
  </section>`;
}

function checkTable(checks: readonly CheckStatus[]): Markup {
  return html`<div class="table-scroll">
    <table class="sortable">
      <thead>
        <tr>
          ${['Check', 'Status', 'Severity', 'Category', 'Note', 'Sources'].map((h) => html`<th><button type="button" class="sort">${h}</button></th>`)}
        </tr>
      </thead>
      <tbody>
        ${checks.map(
          (c) =>
            html`<tr>
              <td><code>${c.id}</code><br />${c.title}</td>
              <td data-sort="${STATUS_ORDER[c.status]}"><span class="badge status-${c.status}">${c.status}</span></td>
              <td>${c.severity}</td>
              <td>${c.category}</td>
              <td>${c.reason ?? c.note ?? ''}</td>
              <td class="sources">${sources(c.sources)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function problemsSection(report: ForestReport, at: Page): Markup {
  if (report.problems.length === 0) return html``;
  const hidden = report.problemsNotShown.errors + report.problemsNotShown.warnings;
  return html`<section id="${at.id('problems')}">
    <h2>Input problems (${n(report.problems.length + hidden)})</h2>
    <div class="table-scroll">
      <table class="sortable">
        <thead>
          <tr>
            ${['Severity', 'Input', 'Where', 'Problem', 'What to do'].map((h) => html`<th><button type="button" class="sort">${h}</button></th>`)}
          </tr>
        </thead>
        <tbody>
          ${report.problems.map(
            (p) =>
              html`<tr>
                <td>${p.severity}</td>
                <td class="dn">${p.input}</td>
                <td class="dn">${p.location ?? p.affectsDn ?? ''}</td>
                <td>${p.message}</td>
                <td>${p.hint ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${hidden > 0 ? html`<p class="note">… and ${n(hidden)} more (${n(report.problemsNotShown.errors)} errors, ${n(report.problemsNotShown.warnings)} warnings) not kept in the report.</p>` : ''}
  </section>`;
}
