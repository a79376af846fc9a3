import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';

/** The address a request came from (Express and Fastify), without the IPv4-in-IPv6 prefix. */
export function remoteAddressOf(request: unknown): string | undefined {
  const r = request as { socket?: { remoteAddress?: string }; raw?: { socket?: { remoteAddress?: string } } };
  return (r.socket?.remoteAddress ?? r.raw?.socket?.remoteAddress)?.replace(/^::ffff:/i, '');
}

/** True for 127.0.0.0/8 and ::1 (IPv4-mapped forms included): the request came from this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/**
 * The inspector's guard when the application gives none: it shows event data, so by default only
 * someone on the same machine sees it. Judged by the connection's own address, never by a header
 * a client could write (behind a reverse proxy on the same host, every request is loopback: give
 * a guard then).
 */
@Injectable()
export class LoopbackOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return isLoopbackAddress(remoteAddressOf(context.switchToHttp().getRequest()));
  }
}
