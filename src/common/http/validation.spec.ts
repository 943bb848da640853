import { BadRequestException } from '@nestjs/common';
import { IsEmail } from 'class-validator';
import { brokenTextPath, buildValidationPipe } from './validation';

class LoginLike {
  @IsEmail() email!: string;
}

describe('text with a broken character (a lone UTF-16 surrogate)', () => {
  it('is found by its field path, in objects, arrays and keys; whole pairs and plain text pass', () => {
    expect(brokenTextPath({ email: 'a@b.c', name: 'Zoë 👩‍💻' })).toBeNull();
    expect(brokenTextPath({ email: '\ud800' })).toBe('email');
    expect(brokenTextPath({ source: { detail: 'x\udc00y' } })).toBe('source.detail');
    expect(brokenTextPath({ sessions: [{ kind: 'ok' }, { kind: 'tail\ud83d' }] })).toBe('sessions.1.kind');
    expect(brokenTextPath({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(brokenTextPath('\udfff', 'id')).toBe('id');
    expect(brokenTextPath(Buffer.from('\ud800'))).toBeNull();
  });

  it('is refused by the house pipe with a 400 naming the field, before a validator can throw on it', async () => {
    const pipe = buildValidationPipe();
    const refused = await pipe.transform({ email: '\ud800' }, { type: 'body', metatype: LoginLike }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestException);
    const body = (refused as BadRequestException).getResponse() as { message: string; fields: Array<{ field: string }> };
    expect(body.message).toMatch(/^Invalid fields: email \(must be text without broken characters/);
    expect(body.fields).toEqual([{ field: 'email', errors: [expect.stringMatching(/surrogate/)] }]);
    await expect(pipe.transform({ email: 'a@example.com' }, { type: 'body', metatype: LoginLike })).resolves.toMatchObject({
      email: 'a@example.com',
    });
  });
});
