/** The baseline: the same four steps in a bare node:http handler that persists nothing. */
import http from 'node:http';

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    let input: { customer?: unknown; amount?: unknown };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (typeof input.customer !== 'string' || typeof input.amount !== 'number') {
      res.writeHead(400).end();
      return;
    }
    const total = Math.round(input.amount * 1.2 * 100) / 100;
    const route = total > 1000 ? 'review' : 'auto';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'completed', output: { customer: input.customer, total, route } }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on ${typeof address === 'object' && address !== null ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
