// @vitest-environment happy-dom
// A draft's badge says where its email is: one that no mail server took (the mail sink, no
// SMTP set up) is "Not sent (no mail server)", as Sent mail says, never "Sent <when>".
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ArtifactStatusBadge } from './ArtifactStatusBadge.tsx';
import { isHandedOver } from './sendState.ts';

afterEach(cleanup);

describe('a draft\'s send badge', () => {
  it('says not sent when no mail server took the email, where it said Sent', () => {
    render(<ArtifactStatusBadge sendState="no_mail_server" approvedAt="2026-12-08T09:00:00Z" sentAt="2026-12-08T09:05:00Z" />);
    expect(screen.getByText('Not sent (no mail server)')).toBeTruthy();
    expect(screen.queryByText(/^Sent/)).toBeNull();
    expect(screen.getByRole('button', { name: 'About Not sent (no mail server)' })).toBeTruthy();
  });

  it('says Sent with when, for an email a mail server took', () => {
    render(<ArtifactStatusBadge sendState="sent" approvedAt="2026-12-08T09:00:00Z" sentAt="2026-12-08T09:05:00Z" />);
    expect(screen.getByText(/^Sent /)).toBeTruthy();
  });

  it('keeps a draft no mail server took as it was handed over, as a sent one', () => {
    expect([isHandedOver('sent'), isHandedOver('no_mail_server'), isHandedOver('queued'), isHandedOver('failed'), isHandedOver(null)])
      .toEqual([true, true, false, false, false]);
  });
});
