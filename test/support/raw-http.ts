import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** An error the client saw while sending (EPIPE, ECONNRESET): the server hung up on it. */
  sendError?: string;
}

/**
 * Sends `totalBytes` of body in chunks, as a slow client uploading a large file would, and reports
 * the answer and whether the connection broke while it was still sending.
 */
export function upload(baseUrl: string, path: string, options: { totalBytes: number; contentType: string; chunked?: boolean }): Promise<RawAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    let sendError: string | undefined;
    let answer: Omit<RawAnswer, 'sendError'> | undefined;
    let sendingDone = false;
    // Settles once the whole body went out (or sending failed) and the answer, if any, was read.
    const settle = (): void => {
      if (sendError !== undefined) resolve({ ...(answer ?? { status: 0, headers: {}, text: '' }), sendError });
      else if (sendingDone && answer) resolve(answer);
    };
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': options.contentType, ...(options.chunked ? {} : { 'content-length': String(options.totalBytes) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          answer = { status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
          settle();
        });
        response.on('error', reject);
      },
    );
    req.on('error', (error) => {
      sendError = (error as NodeJS.ErrnoException).code ?? error.message;
      settle();
    });
    // A server that stops reading without answering leaves the client stuck: that is a failure too.
    const timer = setTimeout(() => {
      sendError = 'stalled: the server neither read the body nor answered';
      req.destroy();
      settle();
    }, 10_000);
    req.on('close', () => setTimeout(() => clearTimeout(timer), 0));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const next = (): void => {
      if (sent >= options.totalBytes) {
        req.end(() => {
          sendingDone = true;
          settle();
        });
        return;
      }
      const size = Math.min(chunk.length, options.totalBytes - sent);
      sent += size;
      req.write(chunk.subarray(0, size), () => setImmediate(next));
    };
    next();
  });
}

/** A request whose answer is read as raw bytes and headers (fetch would decompress and hide them). */
export function rawRequest(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
