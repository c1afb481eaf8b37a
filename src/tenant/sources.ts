import { learn } from '../checks/check.js';

/** Microsoft pages only the tenant rules cite; dates are the ms.date of the version each rule was checked against. */
export const SERVICE_LIMITS = learn('identity/users/directory-service-limits-restrictions', 'Microsoft Entra service limits and restrictions', '2026-01-28');
export const PTA_FAQ = learn(
  'identity/hybrid/connect/how-to-connect-pta-faq',
  'Microsoft Entra pass-through authentication: frequently asked questions',
  '2024-12-20',
);
export const CONNECT_USERS_AND_CONTACTS = learn(
  'identity/hybrid/connect/concept-azure-ad-connect-sync-user-and-contacts',
  'Microsoft Entra Connect Sync: understanding users, groups, and contacts (GALSync contacts join users on mail)',
  '2024-12-05',
);
