'use strict';
// A tiny JSON API with a health endpoint, on Node's own http module (no dependencies).
const http = require('http');

const port = Number(process.env.PORT || 3000);
const started = Date.now();

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host || 'localhost'}`);
  if (url.pathname === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }) + '\n');
    return;
  }
  if (url.pathname === '/sum') {
    const values = url.searchParams.getAll('n').map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ values, total, uptimeKnown: Date.now() >= started }) + '\n');
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found\n');
});

server.listen(port, () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
