// Baseline: bare Express answering 200 to the same POST, body parsed, nothing else.
import express from 'express';

const app = express();
app.post('/webhooks/twilio', express.urlencoded({ extended: false }), (_req, res) => {
  res.status(200).end();
});
app.listen(Number(process.env['PORT']), process.env['HOST'] ?? '127.0.0.1');
