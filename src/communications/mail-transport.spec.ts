import nodemailer from 'nodemailer';
import { bodyTransferEncoding, mailBody, smtpUrlWithDefaults } from './mail-transport';

describe('smtpUrlWithDefaults', () => {
  it('pools the connections and sets the timeouts, as options nodemailer reads from the URL', () => {
    const t = nodemailer.createTransport(smtpUrlWithDefaults('smtp://us%40er:p%3Ass@mail.example.com:2525'));
    const o = t.options as Record<string, unknown>;
    expect(o).toMatchObject({
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      auth: { user: 'us@er', pass: 'p:ss' },
      pool: true,
      connectionTimeout: 10000,
      greetingTimeout: 10000,
      socketTimeout: 20000,
    });
    expect(t.transporter.name).toBe('SMTP (pool)');
    t.close();
  });

  it("keeps the operator's own choices", () => {
    const t = nodemailer.createTransport(smtpUrlWithDefaults('smtps://mail.example.com?pool=false&socketTimeout=5000'));
    expect(t.options).toMatchObject({ secure: true, pool: false, socketTimeout: 5000, connectionTimeout: 10000 });
    expect(t.transporter.name).toBe('SMTP');
    t.close();
  });
});

describe('mailBody', () => {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  // Boundaries are random per message: the rest must be the same bytes.
  const compose = async (html: unknown, text: unknown) =>
    (
      (await transport.sendMail({
        from: 'jobs@example.com',
        to: { name: 'Ива́н', address: 'ivan@example.com' },
        subject: 'Next step',
        date: new Date(0),
        messageId: '<m@example.com>',
        html: html as string,
        text: text as string,
      })) as unknown as { message: Buffer }
    ).message
      .toString()
      .replace(/_NmP-[0-9a-f]+-Part_\d+/g, 'BOUNDARY');
  const bodies: Record<string, string> = {
    'short ASCII lines (7bit)': 'Hello,\nsee you soon.\n',
    'an ASCII line over 76 characters': `Hello, ${'a long line '.repeat(10)}\n`,
    'digits only, over 76 characters (no letter: base64)': '1234567890'.repeat(10),
    'mostly Latin with a middle dot (the footer of every e-mail)': `<p>Our company · Bench</p>\n<p>${'Hi there. '.repeat(20)}</p>`,
    'mostly Cyrillic': 'Привет, Иван! Как дела? ok',
    'emoji (surrogate pairs count twice)': '😀😀😀 abcdef',
    'as many non-Latin units as letters (base64)': 'ĀĀĀ abc',
    'one more letter (quoted-printable)': 'ĀĀĀ abcd',
    'a control character': 'tab\there\u0001 and more text',
    'a line separator ends a line': `${'a'.repeat(70)}\u2028${'b'.repeat(70)}`,
  };

  it.each(Object.entries(bodies))('composes %s byte for byte as nodemailer does on its own', async (_name, body) => {
    expect(await compose(mailBody(body), mailBody(`${body}\n-- \nThe team`))).toBe(await compose(body, `${body}\n-- \nThe team`));
  });

  it('decides the encoding for nodemailer where it would have counted the characters', () => {
    expect(mailBody('Hello,\nsee you soon.')).toBe('Hello,\nsee you soon.');
    expect(mailBody('')).toBe('');
    expect(mailBody('<p>Our company · Bench</p>')).toEqual({
      content: '<p>Our company · Bench</p>',
      contentTransferEncoding: 'quoted-printable',
    });
    expect(bodyTransferEncoding('Привет, Иван!')).toBe('base64');
    expect(bodyTransferEncoding('x'.repeat(77))).toBe('quoted-printable');
    expect(bodyTransferEncoding('x'.repeat(76))).toBeUndefined();
  });
});
