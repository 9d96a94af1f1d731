import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { VigilError } from '../../core/index.js';
import type { CliContext } from '../context.js';

/** `cve export`: the CVE JSON 5 records stored with published advisories. */
export function addCveCommands(program: Command, ctx: CliContext): void {
  program
    .command('cve')
    .description('CVE JSON 5 records of published advisories')
    .command('export')
    .argument('<cveId>', 'the CVE ID, e.g. CVE-2027-10001')
    .option('--out <file>', 'write the record to this file instead of standard output')
    .description('write the stored CVE record (as published with its advisory)')
    .action(async (cveId: string, o: { out?: string }) => {
      if (!/^CVE-\d{4}-\d{4,}$/.test(cveId))
        throw new VigilError(
          400,
          'invalid_cve_id',
          `"${cveId}" is not a CVE ID; expected one such as CVE-2027-10001.`,
        );
      await ctx.withVigil(async (v) => {
        const record = await v.services.artefacts.exportCve(cveId);
        if (record === undefined)
          throw new VigilError(
            404,
            'not_found',
            `No published advisory carries a CVE record for ${cveId}; publish an advisory naming it first.`,
          );
        if (o.out) {
          await fs.writeFile(ctx.here(o.out), record, { flag: 'w' });
          ctx.out(`Wrote the CVE record of ${cveId} to ${o.out}.`);
        } else ctx.io.stdout(record);
      });
    });
}
