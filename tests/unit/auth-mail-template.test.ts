// The local Auth stand-in renders supabase/config.toml's mail templates as hosted GoTrue does:
// its variables filled, the user's metadata as .Data, values HTML-escaped in the body, and a
// template it cannot render refused rather than mailed half-filled.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mailTextOf, renderMailTemplate, templatedMail } from '../../local/gateway/auth-mail-template.mjs';

const vars = {
  ConfirmationURL: 'http://127.0.0.1:54321/auth/v1/verify?token=abc&type=invite', Token: '123456', TokenHash: 'abc',
  SiteURL: 'http://127.0.0.1:3000', RedirectTo: 'http://127.0.0.1:3000/set-password', Email: 'nina@acme.test',
  Data: { invited_by_name: 'Ada <Admin>', organisation_name: 'Smith & Sons' },
};

describe('the local stand-in’s Auth mail templates', () => {
  it('renders the project’s invite template: who invited the person, to which organisation, and the link', () => {
    const invite = { subject: '{{ .Data.invited_by_name }} invited you to join {{ .Data.organisation_name }} on Renubu', contentPath: path.resolve('supabase/templates/invite.html') };
    const mail = templatedMail(invite, vars, 'You have been invited');
    expect(mail?.subject).toBe('Ada <Admin> invited you to join Smith & Sons on Renubu');
    expect(mail?.html).toContain('Ada &#60;Admin&#62; invited you to join Smith &#38; Sons on Renubu');
    expect(mail?.text).toContain('Ada <Admin> invited you to join Smith & Sons on Renubu');
    expect(mail?.text).toContain(`Accept the invitation: ${vars.ConfirmationURL}`);
    expect(mail?.text).toContain('123456');
  });

  it('leaves a missing value empty and refuses what it cannot render', () => {
    expect(renderMailTemplate('Hi {{ .Data.nobody }}!', { ...vars, Data: null }, true)).toBe('Hi !');
    expect(() => renderMailTemplate('{{ if .Data.x }}x{{ end }}', vars, true)).toThrow(/cannot render/);
  });

  it('reads a link as "label: address" in the text', () => {
    expect(mailTextOf('<p><a href="http://x.test/a?b=1&amp;c=2">Open</a></p>')).toBe('Open: http://x.test/a?b=1&c=2');
  });

  it('without a configured template, gives none (Auth’s default mail is sent)', () => {
    expect(templatedMail({}, vars, 'You have been invited')).toBeNull();
  });
});
