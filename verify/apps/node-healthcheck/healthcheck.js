'use strict';
// The image's health check: healthy (exit 0) when GET /health answers 200 within two seconds, else exit 1.
const http = require('http');

const req = http.get({ host: '127.0.0.1', port: Number(process.env.PORT || 3000), path: '/health', timeout: 2000 }, (res) => {
  console.log(`health: HTTP ${res.statusCode}`);
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (err) => {
  console.error(`health: ${err.message}`);
  process.exit(1);
});
