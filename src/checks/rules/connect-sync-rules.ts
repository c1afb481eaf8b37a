import { connectConfigOf, defineCheck, type FindingInput } from '../check.js';
import { connectExport } from '../evidence.js';
import { customisedRules } from '../connect-answers.js';
import { forestView } from '../connect-scope.js';
import type { SyncRule } from '../../sources/connect-config/model.js';
import { CLOUD_SYNC_CONFIGURE, CONNECT_DEFAULT_CONFIGURATION, DECISION_GUIDE, MIGRATION_TOOL } from '../support/sources.js';

/** How long an expression may be in a message before it is cut: the rule's file has the whole of it. */
const EXPRESSION_SHOWN = 200;

function shorten(text: string): string {
  return text.length <= EXPRESSION_SHOWN ? text : `${text.slice(0, EXPRESSION_SHOWN)}…`;
}

/** The scoping filter in words: groups OR-ed, conditions within a group AND-ed. */
function scopingFilter(rule: SyncRule): string {
  if (rule.scopingFilter.length === 0) return 'no scoping filter (applies to every object of its type)';
  return `scoping filter ${rule.scopingFilter.map((group) => group.map((c) => `${c.attribute} ${c.operator} "${c.value}"`).join(' AND ')).join(' OR ')}`;
}

function whatItDoes(rule: SyncRule): string {
  const flows = rule.mappings.map((m) =>
    m.expression === undefined ? `${m.destination} ← ${m.sources.join(', ') || '(constant)'}` : `${m.destination} ← ${shorten(m.expression)}`,
  );
  const join =
    rule.joinCriteria.length === 0 ? '' : `; joins on ${rule.joinCriteria.map((g) => g.map((c) => `${c.source} = ${c.target}`).join(' AND ')).join(' OR ')}`;
  return (
    `${rule.direction}, precedence ${rule.precedence ?? '?'}, ${rule.sourceObjectType} → ${rule.targetObjectType} (${rule.linkType}); ${scopingFilter(rule)}${join}; ` +
    `${flows.length === 0 ? 'no attribute flows' : `flows: ${flows.join('; ')}`}`
  );
}

export default defineCheck({
  meta: {
    id: 'connect.sync-rules',
    title: 'Custom and disabled Connect Sync rules, one by one',
    severity: 'warning',
    category: 'connect-config',
    tags: ['connect', 'connect-config', 'configuration', 'manual'],
    rationale:
      'Every rule Connect ships carries an immutable tag starting with "Microsoft."; a rule without one was written by the admin (the editor clones a ' +
      'built-in rule instead of changing it), and a disabled built-in rule switches off part of the default flow. Cloud Sync has no sync rules: only ' +
      'attribute mappings with the expression builder and OU or group scoping. Each custom rule must be translated by hand (its scoping filter into OU ' +
      'scoping, its flows into expressions) or stay on Connect Sync; the migration tool refuses custom rules. config.filtering-and-rules judges whether any ' +
      'exist; this check lists what each one does.',
    remediation:
      'For each rule listed: translate its scoping filter into Cloud Sync OU scoping (move the objects if needed) and its flows into attribute mappings ' +
      "with expressions, or keep Connect Sync for what it does. A disabled built-in rule: find out why, and what Cloud Sync's default mappings will do instead.",
    sources: [CONNECT_DEFAULT_CONFIGURATION, DECISION_GUIDE, CLOUD_SYNC_CONFIGURE, MIGRATION_TOOL],
    evidence: [connectExport()],
    kinds: {
      'custom-rule': { title: 'Custom sync rule' },
      'disabled-built-in-rule': { title: 'Disabled built-in sync rule' },
    },
  },
  create(context) {
    return {
      finish(inventory) {
        // The engine judges this check only for a forest the export reads, so its view exists; other forests' rules are not this forest's.
        const whole = connectConfigOf(context);
        const config = forestView(whole, inventory) ?? whole;
        const connectorName = new Map(config.connectors.map((c) => [c.id, c.name]));
        const { custom, disabledBuiltIn } = customisedRules(config);
        const byPrecedence = (a: SyncRule, b: SyncRule): number => (a.precedence ?? Infinity) - (b.precedence ?? Infinity);
        const findings: FindingInput<'custom-rule' | 'disabled-built-in-rule'>[] = [
          ...custom.sort(byPrecedence).map((rule) => ({
            kind: 'custom-rule' as const,
            title: `Custom sync rule "${rule.name}"`,
            message:
              `${rule.disabled === true ? 'Disabled custom' : 'Custom'} rule "${rule.name}" on connector ${connectorName.get(rule.connectorId) ?? rule.connectorId} (${rule.file}` +
              `${rule.immutableTag === undefined ? ', no immutable tag' : `, tag ${rule.immutableTag}`}): ${whatItDoes(rule)}.`,
          })),
          ...disabledBuiltIn.sort(byPrecedence).map((rule) => ({
            kind: 'disabled-built-in-rule' as const,
            title: `Built-in sync rule "${rule.name}" is disabled`,
            message: `Built-in rule "${rule.name}" (${rule.immutableTag ?? ''}, ${rule.file}) is disabled: ${whatItDoes(rule)}. Cloud Sync's default mappings do what it did.`,
          })),
        ];
        // Older exports do not write <disabled>: a built-in rule switched off there cannot be seen.
        const unrecorded = config.rules.filter((r) => r.builtIn && r.disabled === undefined).length;
        const unknown = unrecorded === 0 ? '' : `${unrecorded} built-in rule(s) come from an export that does not record whether a rule is disabled`;
        if (findings.length > 0) {
          return {
            status: 'failed',
            findings: findings.map((f) => ({ ...f, message: unknown === '' ? f.message : `${f.message} (${unknown}.)`, scope: { kind: 'forest' } })),
          };
        }
        if (unknown !== '') return { status: 'not-evaluated', reason: `no custom rule, but ${unknown}: check them in the Synchronization Rules Editor` };
        return { status: 'passed', note: `${config.rules.length} rule(s), all built-in and enabled.` };
      },
    };
  },
});
