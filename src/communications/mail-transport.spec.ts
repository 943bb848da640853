import nodemailer from 'nodemailer';
import { smtpUrlWithDefaults } from './mail-transport';

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
