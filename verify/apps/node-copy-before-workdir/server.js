'use strict';
// A small HTTP service started with `npm start`: GET /ttl?of=2%20days answers with the duration in
// milliseconds (the `ms` package from node_modules) and the folder npm ran the script in.
const http = require('http');
const ms = require('ms');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/ttl') {
    res.writeHead(404).end('not found\n');
    return;
  }
  const of = url.searchParams.get('of') || '2 days';
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ of, ms: ms(of), cwd: process.cwd() }) + '\n');
});

const port = Number(process.env.PORT || 8080);
server.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));
