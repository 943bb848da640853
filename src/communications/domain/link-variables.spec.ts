import { readFileSync } from 'node:fs';
import path from 'node:path';
import '../../assessments/templates';
import '../../interviews/templates';
import '../../reviews/templates';
import { TEMPLATES } from '../template-registry';
import { linkVariableProblems, linkVariables } from './link-variables';

const ORIGIN = 'https://hiring.example.com';
const sample = TEMPLATES.take_home_invitation.sample;
const check = (html: string, text = 'Hello') => linkVariableProblems({ html, text }, sample, ORIGIN);

describe('link variables in message templates', () => {
  it('finds the URL-valued variables of a sample', () => {
    const v = linkVariables(sample);
    expect([...v.paths].sort()).toEqual(expect.arrayContaining(['portalUrl', 'links.status', 'links.privacy']));
    expect(v.paths.has('candidate.name')).toBe(false);
  });

  it('accepts every default template (the product links to itself)', () => {
    const dir = path.join(__dirname, '../../../templates/messages');
    for (const [key, def] of Object.entries(TEMPLATES)) {
      const read = (ext: string) => readFileSync(path.join(dir, `${key}.${ext}.hbs`), 'utf8');
      expect({
        key,
        problems: linkVariableProblems({ html: read('html'), text: read('text'), subject: read('subject') }, def.sample, ORIGIN),
      }).toEqual({ key, problems: [] });
    }
  });

  it('accepts the variable as the whole address, or a link on the own origin', () => {
    expect(check('<p><a href="{{portalUrl}}">Open the portal</a></p>')).toEqual([]);
    expect(check('<a href="{{{ links.status }}}">status</a>')).toEqual([]);
    expect(check(`<a href="${ORIGIN}/help?from={{portalUrl}}">help</a>`)).toEqual([]);
    expect(check('<a href="https://elsewhere.example.org/jobs">jobs</a> and <a href="{{portalUrl}}">{{portalUrl}}</a>')).toEqual([]);
    expect(check('<p>x</p>', 'Your link: {{portalUrl}} (valid 7 days)')).toEqual([]);
  });

  it('refuses {{portalUrl}} in an off-site link: address, text, other attributes, plain text', () => {
    expect(check('<a href="https://evil.example.net/?u={{portalUrl}}">Start</a>')[0]).toMatch(
      /\{\{portalUrl\}\} is inside a link to "https:\/\/evil\.example\.net/,
    );
    expect(check('<a href="https://evil.example.net/">{{portalUrl}}</a>')[0]).toMatch(/inside a link/);
    expect(check('<a href="//evil.example.net/{{portalUrl}}">x</a>')[0]).toMatch(/inside a link/);
    expect(check('<img src="https://evil.example.net/pixel.gif?{{portalUrl}}" alt="">')[0]).toMatch(/src attribute of <img>/);
    expect(check('<p>x</p>', 'Go to https://evil.example.net/r?to={{portalUrl}}')[0]).toMatch(
      /^text: \{\{portalUrl\}\} is glued into the address "https:\/\/evil/,
    );
    expect(check('<p>[start](https://evil.example.net/{{links.status}})</p>')[0]).toMatch(/links\.status/);
    // A look-alike origin is off-site.
    expect(check('<a href="https://hiring.example.com.evil.example.net/{{portalUrl}}">x</a>')).toHaveLength(1);
  });
});
