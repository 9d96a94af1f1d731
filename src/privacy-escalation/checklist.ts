import { createTranslator, type Translate } from '../i18n/index.js';

/**
 * The privacy escalation checklist: fixed items, the same for every program, so that every
 * escalation is worked through the same steps and the record shows who did each and when.
 */

const ITEM_IDS = [
  'assess-access',
  'identify-affected',
  'decide-notification',
  'reporter-deletion',
  'record-outcome',
] as const;

// Labels live in the translation layer (`privacy.checklist.<id>`), so mails can name the items in
// the program's language; the API answers the English reference text.
const english = createTranslator('en');

export const CHECKLIST_ITEMS = ITEM_IDS.map((id) => ({
  id,
  label: english(`privacy.checklist.${id}`),
}));

export type ChecklistItemId = (typeof ITEM_IDS)[number];
export const CHECKLIST_ITEM_IDS: [ChecklistItemId, ...ChecklistItemId[]] = [...ITEM_IDS];

/** One item as stored in `privacy_escalations.checklist`. */
export interface StoredChecklistItem {
  id: ChecklistItemId;
  done: boolean;
  /** The user id who last set the item. */
  by: string | null;
  at: string | null;
  /** The note, sealed (base64); it may name records or people, so it never sits in clear. */
  note: string | null;
}

/** A fresh checklist: every item open. */
export function emptyChecklist(): StoredChecklistItem[] {
  return CHECKLIST_ITEMS.map((i) => ({ id: i.id, done: false, by: null, at: null, note: null }));
}

/**
 * The stored checklist, completed with any item added to `CHECKLIST_ITEMS` since it was opened
 * (as open) and in the fixed order; items no longer listed are dropped from view.
 */
export function readChecklist(json: string): StoredChecklistItem[] {
  const stored = new Map((JSON.parse(json) as StoredChecklistItem[]).map((i) => [i.id, i]));
  return emptyChecklist().map((fresh) => stored.get(fresh.id) ?? fresh);
}

/** An item's label, in English (the API's language) or through a program's translator. */
export const checklistLabel = (id: ChecklistItemId, t: Translate = english): string =>
  t(`privacy.checklist.${id}`);
