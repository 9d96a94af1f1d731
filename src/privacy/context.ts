/**
 * "Patient context": whether a span of text sits near words that only appear when a person's
 * health or insurance record is being quoted (DOB, MRN, member ID, diagnosis…). Generic labels
 * such as "Phone:" or "Address:" are everywhere in vulnerability reports (vendor footers, the
 * reporter's signature), so the contact detectors only trust them next to such words.
 *
 * The bare word "patient" is deliberately NOT a strong cue: health-tech reports say "patient
 * portal" and "patient app" in every other line.
 *
 * The cue must also sit in the same paragraph (no blank line in between): a record is quoted as
 * one block of lines, while a signature or a colleague's contact block is set apart from prose
 * that merely talks about "name, DOB and MRN".
 */

const STRONG_CUES =
  /\b(?:DOB|D\.O\.B|date of birth|birth ?date|MRN|medical record|member (?:id|number)|subscriber|insured|guarantor|patient name|patient id|diagnos[ei]s|admitted|discharged|next of kin)\b/gi;

export interface TextContext {
  /** True if a strong patient cue starts within `radius` characters of [start, end). */
  hasPatientCueNear(start: number, end: number, radius?: number): boolean;
}

export function createTextContext(text: string): TextContext {
  const cues = positionsOf(text, STRONG_CUES);
  return {
    hasPatientCueNear(start, end, radius = 250) {
      const lo = Math.max(start - radius, paragraphStart(text, start, radius));
      const hi = Math.min(end + radius, paragraphEnd(text, end, radius));
      return cues.near(lo, hi);
    },
  };
}

/**
 * The positions of a global regex's matches in `text`, found once on first use, and whether one
 * starts in [from, to] (a binary search): a check per candidate costs a look-up, not a scan.
 */
export function positionsOf(text: string, re: RegExp): { near(from: number, to: number): boolean } {
  let positions: number[] | undefined;
  return {
    near(from, to) {
      if (!positions) {
        positions = [];
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) positions.push(m.index);
      }
      let lo = 0;
      let hi = positions.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((positions[mid] as number) < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < positions.length && (positions[lo] as number) <= to;
    },
  };
}

const BLANK_LINE = /\n[ \t]*\r?\n/g;

/** Start of the paragraph holding `pos`, looking back at most `radius` characters. */
function paragraphStart(text: string, pos: number, radius: number): number {
  const from = Math.max(0, pos - radius);
  const window = text.slice(from, pos);
  let start = from;
  BLANK_LINE.lastIndex = 0;
  for (let m = BLANK_LINE.exec(window); m; m = BLANK_LINE.exec(window)) start = from + m.index + m[0].length;
  return start;
}

/** End of the paragraph holding `pos`, looking ahead at most `radius` characters. */
function paragraphEnd(text: string, pos: number, radius: number): number {
  BLANK_LINE.lastIndex = 0;
  const m = BLANK_LINE.exec(text.slice(pos, pos + radius));
  return m ? pos + m.index : pos + radius;
}
