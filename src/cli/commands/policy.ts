import type { Command } from 'commander';
import { seedExamplePolicies } from '../../policy/index.js';
import type { CliContext } from '../context.js';

/** `policy seed-examples`: governed policy documents. */
export function addPolicyCommands(program: Command, ctx: CliContext): void {
  program
    .command('policy')
    .description('governed policy documents')
    .command('seed-examples')
    .option('--dir <folder>', 'folder of <program-slug>.md policies', 'examples/policies')
    .description("publish <slug>.md as version 1.0 of each program's disclosure policy (system actor)")
    .action(async (o: { dir: string }) => {
      await ctx.withVigil(async (v) => {
        const done = await seedExamplePolicies(v.services, ctx.here(o.dir));
        ctx.out(done.length ? `Published version 1.0 for: ${done.join(', ')}.` : 'Nothing to publish.');
      });
    });
}
