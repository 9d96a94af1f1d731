import { describe, expect, it } from 'vitest';
import { cweCount, findCwe, normaliseCweId, searchCwe } from './cwe.js';

describe('CWE catalogue', () => {
  it('loads the catalogue shipped with the CSAF validator', () => {
    expect(cweCount()).toBeGreaterThan(500);
  });

  it.each(['CWE-79', 'cwe-79', '79', ' CWE 79 '])('finds %s', (id) => {
    expect(findCwe(id)).toEqual({
      id: 'CWE-79',
      name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    });
  });

  it('knows what is not an id and what is not in the catalogue', () => {
    expect(normaliseCweId('XSS')).toBeUndefined();
    expect(findCwe('XSS')).toBeUndefined();
    expect(findCwe('CWE-99999')).toBeUndefined();
    expect(normaliseCweId('CWE-079')).toBe('CWE-79');
  });

  it('searches by id: the exact one first, then ids with the same leading digits', () => {
    const ids = searchCwe('CWE-79', 5).map((c) => c.id);
    expect(ids[0]).toBe('CWE-79');
    expect(ids.slice(1).every((id) => id.startsWith('CWE-79'))).toBe(true);
    expect(searchCwe('89', 1)[0]?.id).toBe('CWE-89');
  });

  it('searches by words, ranking the whole phrase first', () => {
    const top = searchCwe('cross-site scripting', 3);
    expect(top[0]?.id).toBe('CWE-79');
    const sql = searchCwe('sql injection', 5);
    expect(sql[0]?.id).toBe('CWE-89');
    // Word prefixes match: "hard-coded cred" finds CWE-798.
    expect(searchCwe('hard-coded cred', 5).map((c) => c.id)).toContain('CWE-798');
    // Every word must match.
    expect(searchCwe('sql zzzz', 5)).toEqual([]);
  });

  it('respects the limit and returns something for an empty query', () => {
    expect(searchCwe('', 7)).toHaveLength(7);
    expect(searchCwe('improper', 3)).toHaveLength(3);
  });
});
