#!/usr/bin/env node
/**
 * What composing one message costs the worker with nodemailer, with and without the transfer
 * encoding decided beforehand (mailBody, src/communications/mail-transport.ts), alternating, on a
 * body shaped like the stage-change e-mail (~2.5 kB of HTML with a non-ASCII footer, ~1.3 kB of
 * text). Prints microseconds per message (wall, one process); asserts nothing.
 *
 *   npm run build && node bench/api/mail-compose.js [--messages 3000]
 */
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const nodemailer = require('nodemailer');
const { mailBody } = require(path.resolve(__dirname, '..', '..', process.env.BENCH_DIST ?? 'dist', 'src/communications/mail-transport'));

const { values: args } = parseArgs({ options: { messages: { type: 'string' } } });
const N = Number(args.messages ?? 3000);
const html =
  '<p style="font-size:13px;color:#5b6272;margin:0 0 16px;">Our company · Bench</p>\n' +
  '<li style="margin-bottom:8px;"><strong>Recruiter screen</strong>: A short first conversation to answer your questions.</li>\n'.repeat(
    20,
  );
const text = 'Our company · Bench\n' + 'Recruiter screen: A short first conversation to answer your questions.\n'.repeat(18);
const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

(async () => {
  for (let round = 1; round <= 2; round++)
    for (const [name, body] of [
      ['nodemailer decides', (x) => x],
      ['decided beforehand (mailBody)', mailBody],
    ]) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i++)
        await transport.sendMail({
          from: 'jobs@example.com',
          to: 'c@example.com',
          subject: 'Next step',
          html: body(html),
          text: body(text),
        });
      console.log(`round ${round}, ${name}: ${(Number(process.hrtime.bigint() - t0) / N / 1000).toFixed(0)} µs per message`);
    }
})();
