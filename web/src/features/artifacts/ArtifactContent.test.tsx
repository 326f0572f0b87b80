// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { ArtifactContent } from './ArtifactContent.tsx';
import { writeEmail, readEmail } from './emailContent.ts';

afterEach(cleanup);

describe('artifact content', () => {
  it('renders an email draft as an email: recipient, subject, body', () => {
    render(<ArtifactContent artifact={{ artifact_type: 'email_draft', content: { to: ['arjun@contoso.example'], subject: 'Your renewal', body: 'Hi Arjun,\n\nShall we meet?' } }} />);
    const email = screen.getByLabelText('Email draft');
    expect(within(email).getByText('arjun@contoso.example')).toBeTruthy();
    expect(within(email).getByText('Your renewal')).toBeTruthy();
    expect(email.querySelector('.email-body')?.textContent).toBe('Hi Arjun,\n\nShall we meet?');
  });

  it('lets a long address wrap after its @ or before a dot, never inside a word', () => {
    render(<ArtifactContent artifact={{ artifact_type: 'email_draft', content: { to: ['olivia.sato@litware.example'], cc: ['ethan@litware.example'], subject: 'S', body: 'B' } }} />);
    const email = screen.getByLabelText('Email draft');
    // Each recipient is its own line (Recipients.tsx): the address within it wraps at its parts.
    const [to, cc] = [...email.querySelectorAll('.recipient-address')];
    expect(to!.textContent).toBe('olivia.sato@litware.example');
    expect(to!.innerHTML).toBe('olivia<wbr>.sato@<wbr>litware<wbr>.example');
    expect(cc!.innerHTML).toBe('ethan@<wbr>litware<wbr>.example');
  });

  it('shows structured content as labelled fields', () => {
    render(<ArtifactContent artifact={{ artifact_type: 'assessment', content: { risk_level: 'high', drivers: ['usage down', 'champion left'] } }} />);
    expect(screen.getByText('Risk level')).toBeTruthy();
    expect(screen.getByText('champion left')).toBeTruthy();
  });

  it('edits write the four fields a draft holds and keep the recipients as a list', () => {
    const original = { to: ['a@x.example'], subject: 'S', body: 'B', tone: 'warm' };
    const edited = writeEmail(original, { ...readEmail(original), to: 'a@x.example, b@x.example', body: 'New' });
    expect(edited).toEqual({ to: ['a@x.example', 'b@x.example'], subject: 'S', body: 'New' });
  });

  it('shows the subject it will go out under: its own, or else the draft\'s title', () => {
    render(<ArtifactContent artifact={{ artifact_type: 'email_draft', title: 'INTERNAL - flight risk', content: { to: ['a@x.example'], body: 'Hi' } }} />);
    expect(screen.getByText('INTERNAL - flight risk')).toBeTruthy();
    expect(screen.queryByText('no subject')).toBeNull();
  });

  it('shows only the body that is sent, never another spelling of the text', () => {
    expect(readEmail({ to: 'a@x.example', body_text: 'A', text: 'B', html: '<p>C</p>' }).body).toBe('');
    expect(readEmail({ to: 'a@x.example', body: 'Sent words', text: 'B' }).body).toBe('Sent words');
  });
});
