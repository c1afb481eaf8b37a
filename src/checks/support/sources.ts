import { learn, type SourceRef } from '../check.js';

/** Microsoft pages several checks cite; dates are the ms.date of the version each rule was checked against. */
export const DECISION_GUIDE = learn(
  'identity/hybrid/cloud-sync/connect-to-cloud-sync-decision-guide',
  'Microsoft Entra Connect Sync vs. Cloud Sync: decision guide',
  '2025-02-17',
);
export const CLOUD_SYNC_PREREQUISITES = learn('identity/hybrid/cloud-sync/how-to-prerequisites', 'Prerequisites for Microsoft Entra Cloud Sync', '2026-07-27');
export const DEVICE_SYNC_PREVIEW = learn(
  'identity/hybrid/cloud-sync/device-sync',
  'Configure device sync with Microsoft Entra Cloud Sync (preview)',
  '2026-07-21',
);
export const HYBRID_JOIN_MANUAL = learn('identity/devices/hybrid-join-manual', 'Configure Microsoft Entra hybrid join manually', '2025-06-27');
export const MIGRATION_TOOL = learn(
  'identity/hybrid/cloud-sync/migrate-connect-sync-cloud-sync-tool',
  'Migrate from Connect Sync to Cloud Sync with the guided migration tool',
  '2026-09-16',
);
export const CONNECT_DEFAULT_CONFIGURATION = learn(
  'identity/hybrid/connect/concept-azure-ad-connect-sync-default-configuration',
  'Microsoft Entra Connect Sync: understanding the default configuration',
  '2024-12-05',
);
export const SEAMLESS_SSO_HOW_IT_WORKS = learn(
  'identity/hybrid/connect/how-to-connect-sso-how-it-works',
  'Microsoft Entra seamless single sign-on: technical deep dive',
  '2024-12-06',
);
export const CLOUD_SYNC_SSO = learn('identity/hybrid/cloud-sync/how-to-sso', 'Using Seamless SSO with Cloud Sync', '2025-04-09');
export const PILOT_TUTORIAL = learn(
  'identity/hybrid/cloud-sync/tutorial-pilot-aadc-aadccp',
  'Tutorial: Migrate to Microsoft Entra Cloud Sync for a synced Active Directory forest',
  '2024-12-17',
);
export const CONNECT_PREREQUISITES = learn(
  'identity/hybrid/connect/how-to-connect-install-prerequisites',
  'Prerequisites for Microsoft Entra Connect',
  '2025-09-29',
);
export const CLOUD_SYNC_MIGRATION_FAQ = learn('identity/hybrid/cloud-sync/cloud-sync-migration-faq', 'Connect Sync to Cloud Sync migration FAQ', '2026-05-04');
export const CLOUD_SYNC_GMSA = learn(
  'identity/hybrid/cloud-sync/gmsa-cloud-sync',
  'Using a group managed service account with Microsoft Entra Cloud Sync',
  '2023-11-06',
);
/** Openspecs pages carry no ms.date; the date is the day the section was read. */
export const MS_ADTS_TRUST_ATTRIBUTES = {
  title: 'MS-ADTS 6.1.6.7.9 trustAttributes',
  url: 'https://learn.microsoft.com/openspecs/windows_protocols/ms-adts/e9a2d23c-c31e-4a6f-88a0-6646fdb51a3c',
  date: '2026-11-22',
};
export const WHAT_IS_CLOUD_SYNC_2023 = learn(
  'identity/hybrid/cloud-sync/what-is-cloud-sync',
  'What is Microsoft Entra Cloud Sync? (comparison table of the 2023 version)',
  '2023-11-06',
);
export const CLOUD_SYNC_CONFIGURE = learn(
  'identity/hybrid/cloud-sync/how-to-configure',
  'Create a new configuration for Microsoft Entra Cloud Sync',
  '2026-03-30',
);
export const SCHEMA_VERSIONS = {
  title: 'Active Directory Schema Versions (TechNet wiki archive; 91 = Windows Server 2025 from a Microsoft Tech Community reply)',
  url: 'https://learn.microsoft.com/archive/technet-wiki/37395.active-directory-schema-versions',
  date: '2026-11-22',
};
export const MS_ADSC_KDS_ROOT_KEY = {
  title: 'MS-ADSC msKds-ProvRootKey class (default security descriptor: Enterprise Admins, Domain Admins, SYSTEM)',
  url: 'https://learn.microsoft.com/openspecs/windows_protocols/ms-adsc/67cd9709-f545-4484-a01d-9461efb0f3b3',
  date: '2026-11-22',
};
export const CONNECT_ACCOUNTS = learn(
  'identity/hybrid/connect/reference-connect-accounts-permissions',
  'Microsoft Entra Connect: accounts and permissions',
  '2023-01-19',
);
export const ADSYNC_SERVICE_ACCOUNT = learn(
  'identity/hybrid/connect/concept-adsync-service-account',
  'Microsoft Entra Connect: ADSync service account',
  '2024-12-05',
);
export const CONNECT_DEVICE_WRITEBACK = learn(
  'identity/hybrid/connect/how-to-connect-device-writeback',
  'Microsoft Entra Connect: enabling device writeback',
  '2024-12-05',
);
export const SEAMLESS_SSO_QUICK_START = learn(
  'identity/hybrid/connect/how-to-connect-sso-quick-start',
  'Quickstart: Microsoft Entra seamless single sign-on',
  '2025-04-09',
);
export const CLOUD_SYNC_TOPOLOGIES = learn(
  'identity/hybrid/cloud-sync/plan-cloud-sync-topologies',
  'Microsoft Entra Cloud Sync supported topologies',
  '2025-04-09',
);
export const CLOUD_SYNC_FAQ = learn('identity/hybrid/cloud-sync/reference-cloud-sync-faq', 'Microsoft Entra Cloud Sync FAQ', '2024-12-17');
export const KDS_ROOT_KEY = {
  title: 'Create the Key Distribution Services KDS root key (Windows Server; no ms.date seen, date is the day read)',
  url: 'https://learn.microsoft.com/windows-server/identity/ad-ds/manage/group-managed-service-accounts/group-managed-service-accounts/create-the-key-distribution-services-kds-root-key',
  date: '2026-11-22',
};
export const PROVISIONING_TO_AD_PREREQUISITES = learn(
  'identity/hybrid/cloud-sync/how-to-prerequisites-provision-entra-to-active-directory',
  'Prerequisites for provisioning Entra ID to AD',
  '2026-08-10',
);
export const COMMON_SCENARIOS = learn('identity/hybrid/common-scenarios', 'Microsoft Entra Connect and Cloud Sync: common scenarios', '2023-11-06');
export const CONNECT_TOPOLOGIES: SourceRef = learn(
  'identity/hybrid/connect/plan-connect-topologies',
  'Topologies for Microsoft Entra Connect (account-resource forest)',
  '2023-11-06',
);
