import type { RegulatoryTriggerRow } from '../db/index.js';
import type { Product, Program } from '../programs/index.js';
import type { MalfunctionOutcome } from './duties.js';

/** Reading stored regulatory rows: the sealed reasons' AAD, a trigger's details, its product. */

export const reasonAad = (id: string, what: string) => `regulatory:${id}:${what}`;

export interface TriggerDetails {
  individualsAffected: number | null;
  residentsOfOneState: number | null;
  outcome: MalfunctionOutcome | null;
  remedialAction: boolean | null;
}

export function readDetails(row: Pick<RegulatoryTriggerRow, 'details'>): TriggerDetails {
  const d = JSON.parse(row.details) as Partial<TriggerDetails>;
  return {
    individualsAffected: d.individualsAffected ?? null,
    residentsOfOneState: d.residentsOfOneState ?? null,
    outcome: d.outcome ?? null,
    remedialAction: d.remedialAction ?? null,
  };
}

export function productOf(program: Program, productId: string | null | undefined): Product | undefined {
  return program.definition.scope.products.find((p) => p.id === productId);
}
