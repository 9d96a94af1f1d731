/**
 * The FHIR scan stays linear on inputs that used to make it quadratic: `<Patient` without `>`
 * (each match read to the end of the text), and `"resourceType":"Patient"` after many braces (each
 * key walked back over every balanced pair before it). These assert completion and the result;
 * a quadratic scan of 1 MiB does not finish within the test's timeout.
 */
import { describe, expect, it } from 'vitest';
import { findFhirResources } from './structured.js';
import type { RawFinding } from './types.js';

const MiB = 1 << 20;
const fill = (unit: string, size = MiB) => unit.repeat(Math.ceil(size / unit.length));

function kinds(text: string): number {
  const out: RawFinding[] = [];
  findFhirResources(text, out);
  return out.length;
}

describe('FHIR scan on pathological input', () => {
  it('1 MiB of <Patient without >', () => {
    expect(kinds(fill('<Patient '))).toBe(0);
  });

  it('1 MiB of unclosed <Patient> with value attributes', () => {
    expect(kinds(fill('<Patient><id value="1"/>'))).toBe(0);
  });

  it('1 MiB of { then the Patient key repeated', () => {
    expect(kinds(fill('{', MiB / 2) + fill('"resourceType":"Patient",', MiB / 2))).toBe(0);
  });

  it('1 MiB of balanced braces then the Patient key repeated', () => {
    expect(kinds(fill('{}', MiB / 2) + fill('"resourceType":"Patient",', MiB / 2))).toBe(0);
  });

  it('deeply nested Patient objects', () => {
    const depth = 20_000;
    const text = `${'{"resourceType":"Patient","x":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(kinds(text)).toBe(0);
  });

  it('many small resources are each still found', () => {
    const one = '{"resourceType":"Patient","birthDate":"1961-04-02"}\n';
    expect(kinds(fill(one, 64 * 1024))).toBe(Math.ceil((64 * 1024) / one.length));
  });
});
