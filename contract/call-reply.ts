/**
 * The envelope every station call answers with, over either host (Electron IPC or the browser host's HTTP): a
 * thrown error would lose its code crossing IPC, so failures travel as data with their stable code.
 */
export type CallReply<R = unknown> =
  { ok: true; result: R } | { ok: false; error: { code: string; message: string } };
