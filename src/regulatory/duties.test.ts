import { describe, expect, it } from 'vitest';
import type { RegulatoryProfile } from '../programs/index.js';
import {
  DUTIES,
  describeWindow,
  dutiesFor,
  dutyById,
  profileHasDuty,
  REGIMES,
  TRIGGER_KINDS,
  type TriggerFacts,
  triggersFor,
} from './duties.js';
import { REPORT_KINDS } from './report-content.js';

/**
 * The duty table as data: its rows are well formed, and `dutiesFor` picks rows by the product's
 * profile (regulation and role) and the trigger's facts (outcome, remedial action, head counts).
 */

const ids = (profile: RegulatoryProfile | undefined, facts: TriggerFacts) =>
  dutiesFor(profile, facts).map((d) => d.id);

const coveredEntity: RegulatoryProfile = { hipaa: { role: 'covered-entity' } };
const businessAssociate: RegulatoryProfile = { hipaa: { role: 'business-associate' } };
const device: RegulatoryProfile = { fda: { cyberDevice: true }, euMdr: { class: 'IIb' } };

describe('the duty table', () => {
  it('names every duty once', () => {
    const seen = DUTIES.map((d) => d.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('prepares a known report kind, for a known trigger and regime, from a cited source', () => {
    for (const d of DUTIES) {
      expect(REPORT_KINDS, d.id).toContain(d.reportKind);
      expect(TRIGGER_KINDS, d.id).toContain(d.trigger);
      expect(REGIMES, d.id).toContain(d.regime);
      expect(d.source.document.trim(), d.id).not.toBe('');
      expect(d.source.article.trim(), d.id).not.toBe('');
    }
  });

  it('starts a waiting clock only after a duty of the same trigger', () => {
    for (const d of DUTIES) {
      if (typeof d.starts !== 'object') continue;
      const earlier = dutyById(d.starts.afterDuty);
      expect(earlier.trigger, d.id).toBe(d.trigger);
    }
  });

  it('refuses an id it does not have', () => {
    expect(() => dutyById('cra-vuln-nonesuch')).toThrow(/unknown regulatory duty/);
  });
});

describe('dutiesFor', () => {
  it('HIPAA covered entity: exactly 500 individuals is reported to HHS with the individual notices', () => {
    expect(ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 500 })).toEqual([
      'hipaa-individuals',
      'hipaa-hhs-500',
    ]);
  });

  it('HIPAA covered entity: 499 individuals go on the annual log, and there is no media notice', () => {
    expect(ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 499 })).toEqual([
      'hipaa-individuals',
      'hipaa-hhs-annual',
    ]);
  });

  it('HIPAA covered entity: media only above 500 residents of one State', () => {
    // Without a per-State figure, all are taken to live in one State.
    expect(ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 501 })).toContain('hipaa-media');
    expect(ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 500 })).not.toContain('hipaa-media');
    expect(
      ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 5000, residentsOfOneState: 500 }),
    ).not.toContain('hipaa-media');
    expect(
      ids(coveredEntity, { kind: 'phi-breach', individualsAffected: 5000, residentsOfOneState: 501 }),
    ).toContain('hipaa-media');
  });

  it('HIPAA business associate: one notice to the covered entity, whatever the count', () => {
    for (const n of [1, 499, 500, 100_000])
      expect(ids(businessAssociate, { kind: 'phi-breach', individualsAffected: n })).toEqual([
        'hipaa-business-associate',
      ]);
  });

  it('GDPR: the controller tells the authority, the processor tells the controller', () => {
    expect(ids({ gdpr: { role: 'controller' } }, { kind: 'personal-data-breach' })).toEqual([
      'gdpr-authority',
    ]);
    expect(ids({ gdpr: { role: 'processor' } }, { kind: 'personal-data-breach' })).toEqual([
      'gdpr-controller',
    ]);
  });

  it('device malfunction: the FDA report by remedial action, the EU report by outcome', () => {
    const facts = (outcome: TriggerFacts['outcome'], remedialAction?: boolean): TriggerFacts => ({
      kind: 'device-malfunction',
      outcome,
      remedialAction,
    });
    expect(ids(device, facts('serious-injury'))).toEqual(['fda-mdr-30-day', 'eu-serious-incident']);
    expect(ids(device, facts('serious-injury', true))).toEqual(['fda-mdr-5-day', 'eu-serious-incident']);
    expect(ids(device, facts('death', false))).toEqual(['fda-mdr-30-day', 'eu-death-or-deterioration']);
    expect(ids(device, facts('public-health-threat'))).toEqual(['fda-mdr-30-day', 'eu-public-health-threat']);
    // An FDA-only device has no EU report; an IVDR device has one like an MDR device.
    expect(ids({ fda: { cyberDevice: false } }, facts('death'))).toEqual(['fda-mdr-30-day']);
    expect(ids({ euIvdr: { class: 'C' } }, facts('death'))).toEqual(['eu-death-or-deterioration']);
  });

  it('CRA: three vulnerability duties and three incident duties, for manufacturer and steward', () => {
    for (const role of ['manufacturer', 'open-source-steward'] as const) {
      expect(ids({ cra: { role } }, { kind: 'actively-exploited' })).toEqual([
        'cra-vuln-early-warning',
        'cra-vuln-notification',
        'cra-vuln-final',
      ]);
      expect(ids({ cra: { role } }, { kind: 'severe-incident' })).toEqual([
        'cra-incident-early-warning',
        'cra-incident-notification',
        'cra-incident-final',
      ]);
    }
  });

  it('nothing without a profile, and nothing for a trigger the profile has no regulation for', () => {
    expect(ids(undefined, { kind: 'actively-exploited' })).toEqual([]);
    expect(ids(device, { kind: 'phi-breach', individualsAffected: 10 })).toEqual([]);
    expect(ids(businessAssociate, { kind: 'actively-exploited' })).toEqual([]);
    expect(profileHasDuty(undefined, dutyById('cra-vuln-early-warning'))).toBe(false);
    expect(profileHasDuty(businessAssociate, dutyById('hipaa-individuals'))).toBe(false);
  });
});

describe('triggersFor', () => {
  it('offers the reference products exactly the triggers they have duties for', () => {
    expect(triggersFor(device)).toEqual([
      { kind: 'uncontrolled-risk', regimes: ['fda-postmarket'] },
      { kind: 'device-malfunction', regimes: ['fda-mdr', 'eu-vigilance'] },
    ]);
    expect(triggersFor({ cra: { role: 'manufacturer' } })).toEqual([
      { kind: 'actively-exploited', regimes: ['cra'] },
      { kind: 'severe-incident', regimes: ['cra'] },
    ]);
    expect(
      triggersFor({ hipaa: { role: 'business-associate' }, gdpr: { role: 'processor', noticeHours: 24 } }),
    ).toEqual([
      { kind: 'phi-breach', regimes: ['hipaa'] },
      { kind: 'personal-data-breach', regimes: ['gdpr'] },
    ]);
    expect(triggersFor(undefined)).toEqual([]);
  });
});

describe('describeWindow', () => {
  it('says each window as the texts do, with the processor target from the profile', () => {
    expect(describeWindow({ hours: 24 })).toBe('24 hours');
    expect(describeWindow({ calendarDays: 15 })).toBe('15 calendar days');
    expect(describeWindow({ workDays: 5 })).toBe('5 work days');
    expect(describeWindow({ months: 1 })).toBe('1 month');
    expect(describeWindow({ months: 3 })).toBe('3 months');
    const processor = dutyById('gdpr-controller').window;
    expect(describeWindow(processor)).toBe('without undue delay (program target: 24 hours)');
    expect(describeWindow(processor, { gdpr: { role: 'processor', noticeHours: 12 } })).toBe(
      'without undue delay (program target: 12 hours)',
    );
  });
});
