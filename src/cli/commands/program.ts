import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { type CliContext, readCliFile } from '../context.js';

/** `program import|export|list`: program definitions as YAML. */
export function addProgramCommands(program: Command, ctx: CliContext): void {
  const { io, out, withVigil } = ctx;
  const prog = program.command('program').description('import, export and list programs');
  prog
    .command('import')
    .argument('<file>', 'program definition in YAML')
    .description('create or update a program from a YAML file (all or nothing)')
    .action(async (file: string) => {
      const text = await readCliFile(ctx, file);
      await withVigil(async (v) => {
        const r = await v.services.programs.importYaml(text, 'cli');
        out(
          `${r.created ? 'Created' : 'Updated'} program ${r.program.slug} (revision ${r.program.revision}).`,
        );
      });
    });
  prog
    .command('export')
    .argument('<slug>', 'program slug')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .description('write a program definition as YAML')
    .action(async (slug: string, o: { output?: string }) => {
      await withVigil(async (v) => {
        const yaml = await v.services.programs.exportYaml(slug);
        if (o.output) await fs.writeFile(ctx.here(o.output), yaml);
        else io.stdout(yaml);
      });
    });
  prog
    .command('list')
    .description('list programs')
    .action(async () => {
      await withVigil(async (v) => {
        const programs = await v.services.programs.list();
        if (programs.length === 0)
          out('There are no programs yet; add one with `vigil program import FILE.yaml`.');
        for (const p of programs) out(`${p.slug}\t${p.definition.casePrefix}\t${p.definition.name}`);
      });
    });
}
