import { type Report, reportSchema } from '../report/schema.js';

/** Validates against the published schema before writing: a report that breaks the contract is a bug, not output. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(reportSchema.parse(report), null, 2)}\n`;
}
