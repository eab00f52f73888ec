/**
 * Where a station's token comes from on the HTTP upgrade: `Authorization: Bearer <token>` (native clients), or the
 * `token` query parameter (browsers cannot set headers on a websocket). The header wins when both are given.
 */
export function tokenFromRequest(
  authorization: string | undefined,
  url: string | undefined,
): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // A malformed header is not silently ignored in favour of the query: it yields an empty (missing) token only
    // if there is truly nothing, and a malformed one otherwise.
    return match?.[1] ?? authorization;
  }
  if (!url) return undefined;
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const token = new URLSearchParams(url.slice(q + 1)).get('token');
  return token || undefined;
}

/** Only the root path upgrades: `ws://host:30582` and `ws://host:30582/?token=...`. */
export function isStationPath(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path === '/' || path === '';
}
