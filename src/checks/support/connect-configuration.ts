import { defineQuestion } from '../check.js';
import { YES_NO } from './questions.js';

/**
 * Questions about the Connect Sync configuration that more than one check needs answered. Each check that
 * needs one lists it in its own metadata, so the question is asked (and attributed) while any of them runs.
 */

export const CUSTOM_SYNC_RULES = defineQuestion({
  id: 'connect-custom-sync-rules',
  text: 'Does Connect Sync use custom synchronization rules or attribute-value filtering (scoping filters on attributes)?',
  choices: YES_NO,
  howToFind:
    'On the Connect server: Synchronization Rules Editor, or `Get-ADSyncRule | Where-Object { -not $_.ImmutableTag }` lists custom rules; ' +
    "scoping filters on attributes show in the rules' Scoping filter tab",
});

export const GROUP_FILTERING = defineQuestion({
  id: 'connect-group-filtering',
  text: 'Does Connect Sync use group-based filtering (only members of one group are synchronised)?',
  choices: YES_NO,
  howToFind: 'Connect wizard > Customize synchronization options > "Filter users and devices": "Synchronize selected" shows the group',
});
