'use strict';
// A small Express API: GET /greet?name=…&ttl=… answers with a greeting and the TTL in milliseconds
// (the `ms` package), plus the Node.js major version it runs on.
const express = require('express');
const ms = require('ms');
const crypto = require('crypto');

const app = express();

app.get('/healthz', (req, res) => res.send('ok\n'));

app.get('/greet', (req, res) => {
  const name = String(req.query.name || 'world');
  const ttl = String(req.query.ttl || '2 days');
  res.json({
    greeting: `Hello, ${name}!`,
    ttl_ms: ms(ttl),
    node_major: Number(process.versions.node.split('.')[0]),
    sha1: crypto.createHash('sha1').update(name).digest('hex'),
  });
});

const port = Number(process.env.PORT || 8080);
app.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));
