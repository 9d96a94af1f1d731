import cvssCalculator from 'ae-cvss-calculator';

/**
 * A score preview while a vector is typed, computed in the browser with the same library the
 * server uses. Only a preview: the server checks the vector strictly and its saved score counts.
 */
export function previewScore(version: '3.1' | '4.0', vector: string): number | null {
  const text = vector.trim();
  if (!text.startsWith(`CVSS:${version}/`)) return null;
  try {
    const { Cvss3P1, Cvss4P0 } = cvssCalculator as unknown as {
      Cvss3P1: new (v: string) => { calculateScores(): { overall?: number; base?: number } };
      Cvss4P0: new (v: string) => { calculateScores(): { overall?: number; base?: number } };
    };
    const s = version === '3.1' ? new Cvss3P1(text).calculateScores() : new Cvss4P0(text).calculateScores();
    const n = s.overall ?? s.base;
    return typeof n === 'number' && Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}
