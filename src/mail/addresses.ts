import type { Program } from '../programs/index.js';

/**
 * Which program an envelope recipient belongs to. A program takes mail at each of its
 * `intake.emailAddresses` and at their `local+tag@domain` sub-addresses; the tag `r-<token>`
 * carries the reply token of a case. Addresses compare case-insensitively: mail systems fold
 * case freely, which is also why reply tokens are lower-case hex.
 */

export interface ProgramAddress {
  program: Program;
  /** The program's own address as configured (without a tag). */
  address: string;
  /** The reply token from a `+r-<token>` sub-address, if any. */
  replyToken?: string;
}

const REPLY_TAG = /^r-([0-9a-f]{32})$/;

export function matchProgramAddress(programs: Program[], address: string): ProgramAddress | undefined {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1) return undefined;
  const find = (candidate: string) =>
    programs.flatMap((program) =>
      program.definition.intake.emailAddresses
        .filter((x) => x.toLowerCase() === candidate)
        .map((own) => ({ program, address: own })),
    )[0];
  const exact = find(a);
  if (exact) return exact;
  // The tag follows the last "+", so a configured address that has a "+" of its own still works.
  const local = a.slice(0, at);
  const plus = local.lastIndexOf('+');
  if (plus <= 0) return undefined;
  const base = find(`${local.slice(0, plus)}${a.slice(at)}`);
  if (!base) return undefined;
  const token = REPLY_TAG.exec(local.slice(plus + 1))?.[1];
  return token ? { ...base, replyToken: token } : base;
}

/** The Reply-To address for a case: the program address with the reply token as sub-address. */
export function replyAddress(programAddress: string, token: string): string {
  const at = programAddress.lastIndexOf('@');
  return `${programAddress.slice(0, at)}+r-${token}${programAddress.slice(at)}`;
}
