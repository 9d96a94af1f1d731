/**
 * The privacy escalation checklist: fixed items, the same for every program, so that every
 * escalation is worked through the same steps and the record shows who did each and when.
 */

export const CHECKLIST_ITEMS = [
  {
    id: 'assess-access',
    label: 'Assess whether PHI or personal data was accessed or exfiltrated',
  },
  {
    id: 'identify-affected',
    label: 'Identify the affected individuals and records',
  },
  {
    id: 'decide-notification',
    label: 'Decide on breach notification (individuals, regulators, media) and record why',
  },
  {
    id: 'reporter-deletion',
    label: 'Ask the reporter to delete any data they kept, and record their confirmation',
  },
  {
    id: 'record-outcome',
    label: 'Record the outcome of the escalation',
  },
] as const;

export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number]['id'];
export const CHECKLIST_ITEM_IDS = CHECKLIST_ITEMS.map((i) => i.id) as [ChecklistItemId, ...ChecklistItemId[]];

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

export const checklistLabel = (id: ChecklistItemId): string =>
  CHECKLIST_ITEMS.find((i) => i.id === id)?.label ?? id;
