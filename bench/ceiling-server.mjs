// The ceiling: a bare node:http server answering every request with the same bytes the API sent.
// Usage: node bench/ceiling-server.mjs PORT FILE   (FILE holds the body; content-type JSON)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
