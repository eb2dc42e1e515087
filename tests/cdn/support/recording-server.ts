import http from 'http';
import type { AddressInfo } from 'net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records every request it gets and answers `status`. */
export const startRecordingServer = async (status = 200) => {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'ok', success: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Waits (at most 5 s) until a request from the `from`th on matches, and returns it. */
  const waitFor = async (matches: (request: RecordedRequest) => boolean, from = 0): Promise<RecordedRequest> => {
    for (let waited = 0; waited < 5000; waited += 25) {
      const found = requests.slice(from).find(matches);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`No such request in 5 s; got: ${JSON.stringify(requests.map(({ method, url: path, headers }) => ({ method, path, headers })))}`);
  };
  /** Waits until no request came for 300 ms (those of earlier writes are all in), and returns their count. */
  const settled = async () => {
    let count = -1;
    while (count !== requests.length) {
      count = requests.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return count;
  };
  return { url, requests, waitFor, settled, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
