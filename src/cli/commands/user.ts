import type { Command } from 'commander';
import { type CliContext, collect } from '../context.js';

/** `user create|enrol-link|disable|enable|list|grant|revoke`: staff users and their roles. */
export function addUserCommands(program: Command, ctx: CliContext): void {
  const { out, withVigil } = ctx;
  const user = program.command('user').description('manage staff users');
  user
    .command('create')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name')
    .option(
      '--role <role>',
      'admin alone: instance administrator; with --program: the role there (admin, lead, handler or viewer)',
    )
    .option('--program <slug>', 'grant --role in this program at once')
    .option('--duty <duty>', 'privacy or approver in --program (repeatable)', collect, [])
    .action(async (o: { email: string; name?: string; role?: string; program?: string; duty: string[] }) => {
      await withVigil(async (v) => {
        const u = await v.services.accounts.createUser({ ...o, duties: o.duty }, 'cli');
        if (u.membership)
          out(`Created user ${u.email} with role ${u.membership.role} in ${u.membership.program}.`);
        else if (u.role === 'admin') out(`Created user ${u.email} with role admin.`);
        else out(`Created user ${u.email}; it sees no program until granted one (vigil user grant).`);
        const link = await v.services.auth.enrolment.enrolmentLink(u.email, 'cli');
        out(enrolmentLinkText(link));
      });
    });
  user
    .command('enrol-link')
    .description('print a new enrolment link for a user (the previous one stops working)')
    .requiredOption('--email <email>', 'the user')
    .action(async (o: { email: string }) => {
      await withVigil(async (v) => {
        out(enrolmentLinkText(await v.services.auth.enrolment.enrolmentLink(o.email, 'cli')));
      });
    });
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(name)
      .description(
        disabled
          ? 'stop a user: its sessions end, its tokens stop answering, sign-in is refused'
          : 'let a disabled user sign in again, with its memberships and tokens as they were',
      )
      .requiredOption('--email <email>', 'the user')
      .action(async (o: { email: string }) => {
        await withVigil(async (v) => {
          const { changed } = await v.services.accounts.setDisabled(o.email, disabled, 'cli');
          out(
            changed
              ? `${disabled ? 'Disabled' : 'Enabled'} ${o.email.trim().toLowerCase()}.`
              : `${o.email.trim().toLowerCase()} was already ${disabled ? 'disabled' : 'enabled'}.`,
          );
        });
      });
  }
  user
    .command('list')
    .description('list staff users: email, role and whether disabled')
    .action(async () => {
      await withVigil(async (v) => {
        const users = await v.services.accounts.listUsers();
        if (users.length === 0)
          out('There are no staff users yet; `vigil setup-link` makes the first administrator.');
        for (const u of users) out(`${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
      });
    });
  user
    .command('grant')
    .description('give a user a role (and duties) in a program, replacing the role it had there')
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--program <slug>', 'the program')
    .requiredOption('--role <role>', 'admin, lead, handler or viewer')
    .option('--duty <duty>', 'privacy or approver (repeatable)', collect, [])
    .action(async (o: { email: string; program: string; role: string; duty: string[] }) => {
      await withVigil(async (v) => {
        const g = await v.services.accounts.grantRole(
          { userEmail: o.email, program: o.program, role: o.role, duties: o.duty },
          'cli',
        );
        const duties = g.duties.length ? ` with duties ${g.duties.join(', ')}` : '';
        out(`${g.email} is now ${g.role} in ${g.program}${duties}.`);
      });
    });
  user
    .command('revoke')
    .description("remove a user's membership of a program")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--program <slug>', 'the program')
    .action(async (o: { email: string; program: string }) => {
      await withVigil(async (v) => {
        await v.services.accounts.revokeRole({ userEmail: o.email, program: o.program }, 'cli');
        out(`${o.email.trim().toLowerCase()} no longer has a role in ${o.program}.`);
      });
    });
}

const enrolmentLinkText = (l: { url: string; expiresAt: string }) =>
  `Enrolment link, to choose a password and set up TOTP (valid until ${l.expiresAt}, once):\n  ${l.url}`;
