import { promises as fs } from 'node:fs';
import { REPORT_SCHEMA_VERSION, type Report, reportSchema } from '../report/schema.js';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

// V8's longest string: a report is read back whole. A million-user forest where every user is in a finding writes
// more (1.2 GB measured, bench/README.md), so the refusal says what to do instead.
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/** A JSON report as readiness scan wrote it (diff and merge read them): every way it can be wrong is one line naming the file. */
export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    const { size } = await fs.stat(path);
    if (size > MAX_REPORT_BYTES)
      throw new UserError(
        `${path}: ${size} bytes, more than the ${MAX_REPORT_BYTES} a report is read back up to`,
        EXIT.usage,
        'scan again with the checks that list most objects switched off in a config file (readiness config --init FILE, then scan --config FILE), or compare the Markdown reports',
      );
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      EXIT.usage,
      'pass JSON reports written by readiness scan --format json',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    // The text is as large as the report; let it go before the schema makes its checked copy.
    text = '';
  } catch (error) {
    throw new UserError(
      `${path}: not JSON (${(error as Error).message})`,
      EXIT.usage,
      'pass the JSON report (--format json), not the Markdown, table or CSV output',
    );
  }
  const version = typeof parsed === 'object' && parsed !== null && 'schemaVersion' in parsed ? parsed.schemaVersion : undefined;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new UserError(
      `${path}: report schema version ${JSON.stringify(version) ?? 'missing'}, but this readiness reads version ${REPORT_SCHEMA_VERSION}`,
      EXIT.usage,
      version === undefined
        ? 'pass a JSON report written by readiness scan --format json'
        : 'rescan with this readiness version, so both reports share the schema',
    );
  }
  const result = reportSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(
      `${path}: not a valid readiness report (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`,
      EXIT.usage,
      'pass the JSON report unedited, as readiness scan wrote it',
    );
  }
  return result.data;
}
