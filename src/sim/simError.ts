// A Nomad error answer from the simulator: the HTTP status, the exact text/plain body, and the
// X-Nomad-* meta some endpoints still send with it (a blocking 404 on a single allocation).
import type { Meta } from './http/respond.js';

export class SimHttpError extends Error {
  constructor(readonly status: number, readonly body: string, readonly meta?: Meta) {
    super(body);
  }
}
