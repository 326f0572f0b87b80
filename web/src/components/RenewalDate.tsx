// A renewal date with its notice deadline beside it, the one way every screen shows when a
// customer renews: "renews 30 Mar 2027 unless notice by 29 Jan 2027, in 57 days". The notice
// part appears only when the decision date (docs/workflow-engine.md, "Renewal clock") differs
// from the renewal date, i.e. an auto-renewing contract with a notice period: "unless" says in
// the line itself that the contract renews by itself, which a hover tooltip said before.
import { formatDate, formatDaysUntil } from '../lib/format.ts';
import { withWholeDates } from './WholeDates.tsx';

export interface RenewalDateProps {
  renewalDate: string | null | undefined;
  decisionDate?: string | null;
  daysUntilRenewal?: number | null;
  daysUntilDecision?: number | null;
}

export function renewalDateText({ renewalDate, decisionDate, daysUntilRenewal, daysUntilDecision }: RenewalDateProps): string {
  if (!renewalDate) return 'no renewal date';
  const renews = `renews ${formatDate(renewalDate)}`;
  if (decisionDate && decisionDate !== renewalDate) {
    const when = daysUntilDecision === null || daysUntilDecision === undefined ? '' : `, ${formatDaysUntil(daysUntilDecision)}`;
    return `${renews} unless notice by ${formatDate(decisionDate)}${when}`;
  }
  const when = daysUntilRenewal === null || daysUntilRenewal === undefined ? '' : `, ${formatDaysUntil(daysUntilRenewal)}`;
  return `${renews}${when}`;
}

/** A renewal past its decision (the notice deadline's when it differs, else the renewal's): the line says it in red. */
export function renewalIsOverdue({ renewalDate, decisionDate, daysUntilRenewal, daysUntilDecision }: RenewalDateProps): boolean {
  const days = decisionDate && decisionDate !== renewalDate ? daysUntilDecision : daysUntilRenewal;
  return days !== null && days !== undefined && days < 0;
}

export function RenewalDate(props: RenewalDateProps) {
  return (
    <span className={`renewal-date${renewalIsOverdue(props) ? ' text-urgent' : ''}`}>
      {withWholeDates(renewalDateText(props))}
    </span>
  );
}
