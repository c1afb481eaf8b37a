import type { Check } from './check.js';
import agentHostCandidates from './rules/agent-host-candidates.js';
import authFederation from './rules/auth-federation.js';
import authPassThrough from './rules/auth-pass-through.js';
import authSeamlessSso from './rules/auth-seamless-sso.js';
import cloudsyncFootprint from './rules/cloudsync-footprint.js';
import configFilteringAndRules from './rules/config-filtering-and-rules.js';
import connectConnectors from './rules/connect-connectors.js';
import connectFeatures from './rules/connect-features.js';
import connectFootprint from './rules/connect-footprint.js';
import connectServer from './rules/connect-server.js';
import connectSyncRules from './rules/connect-sync-rules.js';
import dcInventory from './rules/dc-inventory.js';
import devicesHybridJoin from './rules/devices-hybrid-join.js';
import devicesWriteback from './rules/devices-writeback.js';
import exchangeHybrid from './rules/exchange-hybrid.js';
import exchangeResourceForest from './rules/exchange-resource-forest.js';
import forestFunctionalLevels from './rules/forest-functional-levels.js';
import forestInventory from './rules/forest-inventory.js';
import gmsaKdsRootKey from './rules/gmsa-kds-root-key.js';
import groupsLarge from './rules/groups-large.js';
import groupsNestedScoping from './rules/groups-nested-scoping.js';
import hygieneAttributeLengths from './rules/hygiene-attribute-lengths.js';
import hygieneDisplayName from './rules/hygiene-display-name.js';
import hygieneDuplicateValues from './rules/hygiene-duplicate-values.js';
import hygieneProxyAddresses from './rules/hygiene-proxy-addresses.js';
import hygieneUpnFormat from './rules/hygiene-upn-format.js';
import identitySourceAnchor from './rules/identity-source-anchor.js';
import identityUpnSuffix from './rules/identity-upn-suffix.js';
import migrationToolEligibility from './rules/migration-tool-eligibility.js';
import phsInetorgperson from './rules/phs-inetorgperson.js';
import scaleObjectsPerDomain from './rules/scale-objects-per-domain.js';
import schemaExternalDirectoryObjectId from './rules/schema-external-directory-object-id.js';
import schemaVersion from './rules/schema-version.js';
import tenantEntraDomainServices from './rules/tenant-entra-domain-services.js';
import topologyCrossForestReferences from './rules/topology-cross-forest-references.js';
import topologyTrusts from './rules/topology-trusts.js';
import writebackGroups from './rules/writeback-groups.js';
import writebackPassword from './rules/writeback-password.js';

/** Every check, one line each, sorted by file name (= id); tests hold the list to the files in rules/. */
export const CHECKS: readonly Check[] = [
  agentHostCandidates,
  authFederation,
  authPassThrough,
  authSeamlessSso,
  cloudsyncFootprint,
  configFilteringAndRules,
  connectConnectors,
  connectFeatures,
  connectFootprint,
  connectServer,
  connectSyncRules,
  dcInventory,
  devicesHybridJoin,
  devicesWriteback,
  exchangeHybrid,
  exchangeResourceForest,
  forestFunctionalLevels,
  forestInventory,
  gmsaKdsRootKey,
  groupsLarge,
  groupsNestedScoping,
  hygieneAttributeLengths,
  hygieneDisplayName,
  hygieneDuplicateValues,
  hygieneProxyAddresses,
  hygieneUpnFormat,
  identitySourceAnchor,
  identityUpnSuffix,
  migrationToolEligibility,
  phsInetorgperson,
  scaleObjectsPerDomain,
  schemaExternalDirectoryObjectId,
  schemaVersion,
  tenantEntraDomainServices,
  topologyCrossForestReferences,
  topologyTrusts,
  writebackGroups,
  writebackPassword,
];
