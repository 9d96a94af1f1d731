import type { FastifyReply } from 'fastify';

/**
 * Headers for serving a reporter's file: always a download, never rendered or sniffed, never
 * cached; the original (sanitised) name is offered in RFC 6266/5987 form.
 */
export function attachmentDisposition(
  reply: FastifyReply,
  meta: { name: string; size: number },
): FastifyReply {
  const ascii = meta.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('Content-Type', 'application/octet-stream')
    .header(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    )
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'no-store')
    .header('Content-Length', String(meta.size));
}
