import { type Report, reportSchema } from '../report/schema.js';

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a CSI to some terminals) and
// bidi overrides raw; outside strings JSON holds none of them, so escaping them keeps the same parsed value.
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Validates against the published schema before writing: a report that breaks the contract is a bug, not output. */
export function renderJson(report: Report): string {
  const text = JSON.stringify(reportSchema.parse(report), null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
