import type { Command } from 'commander';
import { verifyAuditChain } from '../../audit/index.js';
import type { CliContext } from '../context.js';

/** `audit verify`: checks the audit log's hash chain; a broken link makes the run exit 1. */
export function addAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('audit log')
    .command('verify')
    .description('check the hash chain of the audit log; exits 1 at the first broken link')
    .action(async () => {
      await ctx.withVigil(async (v) => {
        const r = await verifyAuditChain(v.db.kysely, 5000);
        if (r.ok) ctx.out(`Audit log intact: ${r.checked} entries verified.`);
        else {
          ctx.io.stderr(
            `Audit log broken at entry ${r.firstBroken?.seq}: ${r.firstBroken?.reason} (${r.checked} entries verified before it).\n`,
          );
          ctx.state.exitCode = 1;
        }
      });
    });
}
