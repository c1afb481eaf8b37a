import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ForestReport, Report } from '../../src/report/schema.js';
import { HTML_OBJECTS_PER_FINDING, renderHtml } from '../../src/reporters/html.js';
import { escapeHtml, html, jsonForScript, markupText } from '../../src/reporters/html-markup.js';
import { hostileReport, PAYLOADS, sampleReport, twoForestReport } from './html-reports.js';

const sha256 = (text: string): string => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

/** The page split into its parts: the CSP, the inline style and script, the JSON data and the markup outside them. */
function parts(page: string): { csp: string; style: string; script: string; data: string; markup: string } {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
  const markup = page.replace(style, '').replace(data, '').replace(script, '');
  return { csp, style, script, data, markup };
}

describe('html markup helper', () => {
  it('escapes every interpolated string, in text and attributes, and keeps nested markup as is', () => {
    const name = `<img src=x onerror="a('b')">&`;
    const out = markupText(html`<p title="${name}">${name}${html`<b>${name}</b>`}${[name, 1]}</p>`);
    expect(out).toBe(
      '<p title="&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;' +
        '<b>&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;</b>&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;1</p>',
    );
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('writes JSON that no value can break out of, and that parses back to the same data', () => {
    const data = { a: '</script><!-- <script>x</script>', b: 'line\u2028sep & more' };
    const text = jsonForScript(data);
    expect(text).not.toMatch(/<|>/);
    expect(JSON.parse(text)).toEqual(data);
  });
});

describe('HTML report', () => {
  let sample: Report;
  let hostile: Report;
  beforeAll(async () => {
    [sample, hostile] = await Promise.all([sampleReport(), hostileReport()]);
  });

  it('allows exactly its own inline style and script by hash, and nothing from anywhere else', () => {
    const page = renderHtml(sample);
    const { csp, style, script } = parts(page);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src '${sha256(style)}'`);
    expect(csp).toContain(`script-src '${sha256(script)}'`);
    expect(csp).not.toContain('unsafe');
    // Nothing to fetch: no external resources, no inline handlers or style attributes the CSP would block.
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\s(src|style)=/i);
    expect(page).not.toMatch(/<[^>]*\son\w+=/i);
  });

  it('keeps the sample report small', () => {
    expect(Buffer.byteLength(renderHtml(sample))).toBeLessThan(1024 * 1024);
  });

  it('shows the verdict, every domain, the pilot scope and every check', () => {
    const { markup } = parts(renderHtml(sample));
    expect(markup).toContain('<span class="headline-verdict v-blocked">Blocked</span>');
    const forest = sample.forests[0] as ForestReport;
    for (const d of forest.inventory.domains) expect(markup).toContain(d.dnsName);
    forest.pilotPlan.cloudSync.forEach((config, i) => expect(markup).toContain(`<pre class="scope" id="scope-${i}">${config.ous.join('\n')}</pre>`));
    for (const c of forest.checks) expect(markup).toContain(`<code>${c.id}</code>`);
  });

  it('escapes every directory value: no payload becomes markup, and the data block holds them intact', () => {
    const page = renderHtml(hostile);
    const { markup, data } = parts(page);
    expect(page.match(/<script\b/g)).toHaveLength(2);
    expect(markup).not.toMatch(/<(img|svg onload|script)\b[^>]*__pwned/i);
    expect(markup).not.toContain('javascript:');
    expect(markup).toContain(escapeHtml(PAYLOADS.img));
    expect(markup).toContain(escapeHtml('<script>window.__pwned=1</script>'));
    const parsed = JSON.parse(data) as { objects: ({ rows: string[][] } | null)[] };
    expect(parsed.objects.at(-1)?.rows[0]).toEqual(expect.arrayContaining([PAYLOADS.closeScript, PAYLOADS.img, PAYLOADS.quotes]));
  });

  it('caps a finding table at HTML_OBJECTS_PER_FINDING rows, the first by DN, and says where the whole list is', () => {
    const forest = sample.forests[0] as ForestReport;
    const listed = HTML_OBJECTS_PER_FINDING + 5;
    // Only the shown objects decide the columns: the first fill no sAMAccountName, the ones past the cap do.
    const objects = Array.from({ length: listed }, (_, i) => ({
      dn: `CN=u${String(i).padStart(6, '0')},DC=corp,DC=test`,
      ...(i < HTML_OBJECTS_PER_FINDING ? {} : { samAccountName: `u${i}` }),
    }));
    const big: Finding = { ...(forest.findings[0] as Finding), count: listed, objects };
    const report: Report = { ...sample, forests: [{ ...forest, findings: [big, ...forest.findings.slice(1)] }] };
    const { markup, data } = parts(renderHtml(report));
    const table = (JSON.parse(data) as { objects: ({ columns: string[]; rows: string[][] } | null)[] }).objects[0];
    expect(table?.rows).toHaveLength(HTML_OBJECTS_PER_FINDING);
    expect(table?.rows.at(-1)).toEqual([objects[HTML_OBJECTS_PER_FINDING - 1]?.dn]);
    expect(table?.columns).toEqual(['DN']);
    expect(markup).toContain(`the first ${HTML_OBJECTS_PER_FINDING.toLocaleString('en-US')} of ${listed.toLocaleString('en-US')} listed, by DN`);
    // A finding under the cap keeps every row and no such note.
    const { markup: small } = parts(renderHtml(sample));
    expect(small).not.toContain('the first ');
  });

  it('puts several forests on one page: the tenant first, each forest with ids of its own and its own object tables', async () => {
    const tenant = await twoForestReport();
    const page = renderHtml(tenant);
    const { markup, data } = parts(page);
    expect(markup).toContain('<span class="headline-verdict v-blocked">Blocked</span><span>2 forests (corp.contoso.test, pilot.test)</span>');
    expect(markup.indexOf('id="tenant"')).toBeLessThan(markup.indexOf('id="forest1-verdict"'));
    expect(markup.indexOf('id="forest1-verdict"')).toBeLessThan(markup.indexOf('id="forest2-verdict"'));
    for (const prefix of ['forest1-', 'forest2-']) expect(markup).toContain(`<ul class="tree" id="${prefix}ou-tree">`);
    const ids = [...markup.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Every object table points at the rows of its own finding: the tenant's first, then each forest's in turn.
    const objects = (JSON.parse(data) as { objects: ({ columns: string[]; rows: string[][] } | null)[] }).objects;
    const findings = [...tenant.tenant.findings, ...tenant.forests.flatMap((f) => f.findings)];
    expect(objects).toHaveLength(findings.length);
    const details = markup.split('<details class="finding"').slice(1);
    expect(details).toHaveLength(findings.length);
    let tables = 0;
    for (const part of details) {
      const key = /<code class="fid">([^<]+)</.exec(part)?.[1];
      const index = /data-objects="(\d+)"/.exec(part.split('</details>')[0] ?? '')?.[1];
      if (index === undefined) continue;
      tables++;
      expect(findings[Number(index)]?.key).toBe(key);
      expect(objects[Number(index)]?.rows).toHaveLength(findings[Number(index)]?.objects.length ?? -1);
    }
    expect(tables).toBe(findings.filter((f) => f.objects.length > 0).length);
    expect(objects[0]?.columns).toContain('Forest');
    expect(objects[0]?.rows.map((r) => r.at(-1))).toEqual(['corp.contoso.test', 'pilot.test']);
  });
});
