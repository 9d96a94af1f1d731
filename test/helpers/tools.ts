import { isCi, toolById } from '../../scripts/test-tools.mjs';

/**
 * Whether the outside program `id` (see scripts/test-tools.mjs) is missing, so a suite that needs
 * it should skip: `describe.skipIf(toolMissing('chromium'))(…)`. `npm test` installs missing
 * programs as root and names every suite that skips; with CI=true a missing program is an error
 * here, so the suite fails instead of skipping.
 */
export function toolMissing(id: string): boolean {
  const tool = toolById(id);
  if (tool.present(process.env)) return false;
  if (isCi())
    throw new Error(
      `CI=true and ${id} is missing (${tool.for}); install it with: apt-get install -y ${tool.package}`,
    );
  return true;
}
