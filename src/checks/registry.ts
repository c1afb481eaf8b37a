import type { Check } from './check.js';
import authSeamlessSso from './rules/auth-seamless-sso.js';
import devicesHybridJoin from './rules/devices-hybrid-join.js';
import groupsLarge from './rules/groups-large.js';
import scaleObjectsPerDomain from './rules/scale-objects-per-domain.js';
import schemaExternalDirectoryObjectId from './rules/schema-external-directory-object-id.js';
import authPassThrough from './rules/auth-pass-through.js';
import tenantEntraDomainServices from './rules/tenant-entra-domain-services.js';
import configFilteringAndRules from './rules/config-filtering-and-rules.js';
import hygieneDuplicateValues from './rules/hygiene-duplicate-values.js';
import schemaVersion from './rules/schema-version.js';
import hygieneUpnFormat from './rules/hygiene-upn-format.js';
import forestInventory from './rules/forest-inventory.js';
import forestFunctionalLevels from './rules/forest-functional-levels.js';
import hygieneProxyAddresses from './rules/hygiene-proxy-addresses.js';
import dcInventory from './rules/dc-inventory.js';
import hygieneAttributeLengths from './rules/hygiene-attribute-lengths.js';
import agentHostCandidates from './rules/agent-host-candidates.js';
import hygieneDisplayName from './rules/hygiene-display-name.js';
import gmsaKdsRootKey from './rules/gmsa-kds-root-key.js';
import phsInetorgperson from './rules/phs-inetorgperson.js';
import cloudsyncFootprint from './rules/cloudsync-footprint.js';
import connectFootprint from './rules/connect-footprint.js';
import identityUpnSuffix from './rules/identity-upn-suffix.js';
import devicesWriteback from './rules/devices-writeback.js';
import identitySourceAnchor from './rules/identity-source-anchor.js';
import authFederation from './rules/auth-federation.js';
import exchangeResourceForest from './rules/exchange-resource-forest.js';
import exchangeHybrid from './rules/exchange-hybrid.js';
import topologyTrusts from './rules/topology-trusts.js';
import writebackPassword from './rules/writeback-password.js';
import topologyCrossForestReferences from './rules/topology-cross-forest-references.js';
import writebackGroups from './rules/writeback-groups.js';
import groupsNestedScoping from './rules/groups-nested-scoping.js';
import migrationToolEligibility from './rules/migration-tool-eligibility.js';
import connectServer from './rules/connect-server.js';
import connectConnectors from './rules/connect-connectors.js';
import connectSyncRules from './rules/connect-sync-rules.js';
import connectFeatures from './rules/connect-features.js';

/** Every check, one line each. Order does not matter: results are sorted by id. */
export const CHECKS: readonly Check[] = [
  authSeamlessSso,
  devicesHybridJoin,
  groupsLarge,
  scaleObjectsPerDomain,
  schemaExternalDirectoryObjectId,
  authPassThrough,
  tenantEntraDomainServices,
  configFilteringAndRules,
  hygieneDuplicateValues,
  schemaVersion,
  hygieneUpnFormat,
  forestInventory,
  forestFunctionalLevels,
  hygieneProxyAddresses,
  dcInventory,
  hygieneAttributeLengths,
  agentHostCandidates,
  hygieneDisplayName,
  gmsaKdsRootKey,
  phsInetorgperson,
  cloudsyncFootprint,
  connectFootprint,
  identityUpnSuffix,
  devicesWriteback,
  identitySourceAnchor,
  authFederation,
  exchangeResourceForest,
  exchangeHybrid,
  topologyTrusts,
  writebackPassword,
  topologyCrossForestReferences,
  writebackGroups,
  groupsNestedScoping,
  migrationToolEligibility,
  connectServer,
  connectConnectors,
  connectSyncRules,
  connectFeatures,
];
