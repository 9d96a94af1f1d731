/**
 * Make a reporter-supplied file name safe to store and to offer back as a download name:
 * no directories, no control or reserved characters, no leading dots, bounded length.
 * The name is only ever a label — files are stored under random keys.
 */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  let clean = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  if (clean === '' || clean === '.' || clean === '..') clean = 'attachment';
  if ([...clean].length > 180) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 12 ? clean.slice(dot) : '';
    clean = [...clean].slice(0, 180 - ext.length).join('') + ext;
  }
  return clean;
}
