import type { Inventory } from '../inventory/inventory.js';
import { dnKey } from '../model/dn.js';
import type { InputProblem } from '../sources/source.js';
import { adConnectors, type ConnectConfig, type SyncRule } from '../sources/connect-config/model.js';
import { connectScope, forestView, selectedPartitions } from './connect-scope.js';
import { MIGRATION_TOOL_LIMITS } from './support/migration-tool.js';

/** Where in the export an answer was read: the file (relative to the export folder), the setting and what it says. */
export interface AnswerSource {
  file: string;
  setting: string;
  value: string;
}

export interface ExportAnswer {
  question: string;
  answer: string;
  source: AnswerSource;
}

const SETTING = {
  anchor: 'Microsoft.SynchronizationOption.AnchorAttribute',
  upn: 'Microsoft.SynchronizationOption.UPNAttribute',
  directoryExtension: 'Microsoft.OptionalFeature.DirectoryExtension',
  groupFiltering: 'Microsoft.OptionalFeature.GroupFiltering',
  signOn: 'Microsoft.UserSignIn.SignOnMethod',
} as const;

/** Sign-on methods the Connect 2.x setting takes other than pass-through authentication. */
const NOT_PTA = new Set(['passwordhashsync', 'federation', 'notconfigured', 'pingfederate']);

/** Rules the admin made or changed: no Microsoft immutable tag, or a built-in rule switched off. */
export function customisedRules(config: ConnectConfig): { custom: SyncRule[]; disabledBuiltIn: SyncRule[] } {
  return {
    custom: config.rules.filter((r) => !r.builtIn),
    disabledBuiltIn: config.rules.filter((r) => r.builtIn && r.disabled === true),
  };
}

/**
 * The answers a Connect configuration export gives to the checks' questions, each with where it was read. A
 * question the export cannot settle (a setting absent in this version, a domain not read from AD) gets no answer
 * and stays open.
 */
export function answersFromConnectConfig(config: ConnectConfig, inventory: Inventory): ExportAnswer[] {
  const answers: ExportAnswer[] = [];
  const fromSetting = (question: string, name: string, judge: (value: string) => string | undefined): void => {
    const setting = config.globalSettings.get(name);
    if (setting === undefined || setting.value === '') return;
    const answer = judge(setting.value);
    if (answer !== undefined) answers.push({ question, answer, source: { file: setting.file, setting: name, value: setting.value } });
  };

  fromSetting('connect-source-anchor', SETTING.anchor, (value) =>
    value.toLowerCase() === 'objectguid' ? 'objectGUID' : value.toLowerCase() === 'ms-ds-consistencyguid' ? 'mS-DS-ConsistencyGuid' : 'other-attribute',
  );
  fromSetting('connect-custom-upn', SETTING.upn, (value) => (value.toLowerCase() === 'userprincipalname' ? 'no' : 'yes'));
  fromSetting('connect-directory-extensions', SETTING.directoryExtension, yesNo);
  fromSetting('pass-through-authentication', SETTING.signOn, (value) =>
    value.toLowerCase() === 'passthroughauthentication' ? 'yes' : NOT_PTA.has(value.toLowerCase()) ? 'no' : undefined,
  );

  const filteringGroup = adConnectors(config).find((c) => c.groupFilteringGroupDn !== undefined);
  if (filteringGroup !== undefined) {
    answers.push({
      question: 'connect-group-filtering',
      answer: 'yes',
      source: { file: filteringGroup.file, setting: 'Connector.GroupFilteringGroupDn', value: filteringGroup.groupFilteringGroupDn ?? '' },
    });
  } else {
    fromSetting('connect-group-filtering', SETTING.groupFiltering, yesNo);
  }

  answers.push(customRulesAnswer(config));
  const containers = includedContainersAnswer(config);
  if (containers !== undefined) answers.push(containers);
  const scope = connectScope(config, inventory);
  if (scope.total !== undefined && scope.partitions.length > 0) {
    answers.push({
      question: 'connect-scope-over-2000',
      answer: scope.total > MIGRATION_TOOL_LIMITS.maxObjects ? 'yes' : 'no',
      source: {
        file: [...new Set(scope.partitions.map((p) => p.file))].join(', '),
        setting: 'ma-partition-data/partition (selected, OU inclusions and exclusions, object classes) applied to the AD objects read',
        value: `${scope.total.toLocaleString('en-US')} users, groups and contacts in scope`,
      },
    });
  }
  return answers;
}

function yesNo(value: string): string | undefined {
  const lower = value.toLowerCase();
  return lower === 'true' ? 'yes' : lower === 'false' ? 'no' : undefined;
}

function customRulesAnswer(config: ConnectConfig): ExportAnswer {
  const { custom, disabledBuiltIn } = customisedRules(config);
  const first = custom[0] ?? disabledBuiltIn[0];
  if (first === undefined) {
    return {
      question: 'connect-custom-sync-rules',
      answer: 'no',
      source: {
        file: 'SynchronizationRules/',
        setting: 'immutable-tag, disabled',
        value: `${config.rules.length} rule(s), all built-in (Microsoft.*) and enabled`,
      },
    };
  }
  const parts = [
    custom.length > 0 ? `${custom.length} custom rule(s) (no Microsoft immutable tag), e.g. "${custom[0]?.name}"` : '',
    disabledBuiltIn.length > 0 ? `${disabledBuiltIn.length} disabled built-in rule(s), e.g. "${disabledBuiltIn[0]?.name}"` : '',
  ].filter((p) => p !== '');
  return {
    question: 'connect-custom-sync-rules',
    answer: 'yes',
    source: { file: first.file, setting: custom.length > 0 ? 'immutable-tag' : 'disabled', value: parts.join('; ') },
  };
}

function includedContainersAnswer(config: ConnectConfig): ExportAnswer | undefined {
  const partitions = selectedPartitions(config);
  if (partitions.length === 0) return undefined;
  const widest = partitions.reduce((a, b) => (b.partition.inclusions.length > a.partition.inclusions.length ? b : a));
  const count = widest.partition.inclusions.length;
  return {
    question: 'connect-included-containers-over-30',
    answer: count > MIGRATION_TOOL_LIMITS.maxContainersPerDomain ? 'yes' : 'no',
    source: {
      file: widest.file,
      setting: 'ma-partition-data/partition/filter/containers/inclusions',
      value: `${count} included container(s) in ${widest.partition.dn}, the most of ${partitions.length} selected partition(s)`,
    },
  };
}

/**
 * The export must describe the forest that was scanned. An export none of whose AD connectors reads it is another
 * forest's: with one AD connector most likely the wrong file (an input error); with several, one Connect server's
 * forests, of which this is not one (a warning: Connect does not synchronise it). Either way none of its answers are
 * used. A selected domain of this forest's connectors that was not read leaves Connect's in-scope count open.
 */
export function crossCheckForest(config: ConnectConfig, inventory: Inventory): { problems: InputProblem[]; view: ConnectConfig | undefined } {
  const view = forestView(config, inventory);
  const readKeys = new Set(inventory.domains.filter((d) => d.partitionRead).map((d) => d.key));
  if (view === undefined) return { view, problems: [notThisForest(config, inventory)] };
  const problems: InputProblem[] = selectedPartitions(view)
    .filter(({ partition }) => readKeys.size > 0 && !readKeys.has(dnKey(partition.dn)))
    .map(({ partition, file }) => ({
      severity: 'warning',
      input: config.folder,
      location: file,
      message: `Connect synchronises ${partition.dn}, which is not in the input, so the objects in Connect's scope cannot be counted`,
      hint: `export that domain too (ldifde -d "${partition.dn}") or scan it live`,
    }));
  return { problems, view };
}

function notThisForest(config: ConnectConfig, inventory: Inventory): InputProblem {
  const selected = selectedPartitions(config);
  const scanned = inventory.domains.filter((d) => d.partitionRead).map((d) => d.dn);
  const forest = `the forest scanned holds ${scanned.join(', ')}`;
  const connectors = adConnectors(config);
  if (connectors.length > 1) {
    return {
      severity: 'warning',
      input: config.folder,
      location: connectors.map((c) => c.file).join(', '),
      message:
        `none of the Connect export's ${connectors.length} AD connectors (for ${connectors.map((c) => c.forestName ?? c.name).join(', ')}) reads this forest, and ${forest}: ` +
        "Connect does not synchronise it, so none of the export's answers are used for it",
      hint: 'if another Connect server synchronises this forest, pass its export for this forest; otherwise answer its questions in an answers file',
    };
  }
  return {
    severity: 'error',
    input: config.folder,
    location: selected[0]?.file ?? '',
    message: `the Connect export synchronises ${selected.map((s) => s.partition.dn).join(', ')}, but ${forest}: it is another forest's configuration, so none of its answers are used`,
    hint: 'pass the export of the Connect Sync server that synchronises this forest (Get-ADSyncServerConfiguration on that server)',
  };
}
