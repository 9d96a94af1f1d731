import type { Command } from 'commander';
import { migrateToLatest, openDatabase, pendingMigrations } from '../../db/index.js';
import type { CliContext } from '../context.js';
import { serve, setupLinkText } from '../serve.js';

/** `serve`, `setup-link` and `migrate`: running the instance and preparing its database. */
export function addInstanceCommands(program: Command, ctx: CliContext): void {
  const { io, out } = ctx;
  program
    .command('serve')
    .description('run the web server (and the outbox worker when VIGIL_SMTP_URL is set)')
    .action(async () => {
      await serve(ctx.config(), io);
    });

  program
    .command('setup-link')
    .description(
      'print a one-time link that makes its holder the first administrator (only while no user exists)',
    )
    .action(async () => {
      await ctx.withVigil(async (v) => {
        io.stdout(setupLinkText(await v.services.auth.enrolment.setupLink()));
      });
    });

  program
    .command('migrate')
    .description('bring the database schema up to date (take a backup first: `vigil backup`)')
    .option('--dry-run', 'list the migrations that would run, in order, and run none')
    .action(async (o: { dryRun?: boolean }) => {
      const c = ctx.config();
      const db = await openDatabase({
        dataDir: c.dataDir,
        databaseUrl: c.databaseUrl,
        schema: c.databaseSchema,
      });
      try {
        if (o.dryRun) {
          const pending = await pendingMigrations(db);
          out(
            pending.length
              ? `${pending.length} migration(s) would run, in this order (none was run):\n${pending.map((m) => `  ${m}`).join('\n')}`
              : 'The database is up to date; no migration would run.',
          );
          return;
        }
        const applied = await migrateToLatest(db);
        out(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
            : 'The database is up to date.',
        );
      } finally {
        await db.close();
      }
    });
}
