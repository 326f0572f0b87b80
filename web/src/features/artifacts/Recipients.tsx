// An email's recipients as the person approving or sending it must read them: To and Cc, each
// address in full on its own line, and beside any address the customer's records do not know
// (knownContacts.ts) the words "not a known contact of <customer>" — shown before the Approve
// and Send buttons, since the assistant writes the recipients of the drafts it makes.
import { EmailAddresses } from '../../components/EmailAddresses.tsx';
import { bareAddress, isKnownContact, recipientsOf, useKnownContacts } from './knownContacts.ts';
import { isEmailAddress } from '../../lib/emailAddress.ts';

/**
 * What is said beside a recipient the customer's records do not know: that it is no email
 * address at all (a name, which no mail reaches and the send refuses), else that it is not a
 * known contact of the customer. Nothing while the customer's context is not loaded.
 */
function RecipientFlag({ address }: { address: string }) {
  const known = useKnownContacts();
  if (!known || isKnownContact(address, known)) return null;
  const words = isEmailAddress(bareAddress(address)) ? `not a known contact of ${known.customerName}` : 'not an email address';
  return <span className="recipient-unknown" data-testid="recipient-unknown"><span aria-hidden="true">⚠ </span>{words}</span>;
}

function RecipientLine({ label, text }: { label: 'To' | 'Cc'; text: string }) {
  const addresses = recipientsOf(text);
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {addresses.length === 0 ? <span className="muted">no recipient</span> : (
          <ul className="recipients" aria-label={label === 'To' ? 'To' : 'Cc'}>
            {addresses.map((address, index) => (
              <li key={`${index}:${address}`} data-testid="recipient">
                <span className="recipient-address"><EmailAddresses text={address} /></span>
                <RecipientFlag address={address} />
              </li>
            ))}
          </ul>
        )}
      </dd>
    </div>
  );
}

/** The To line (always: an email with no recipient says so) and the Cc line when there is one, as rows of a `dl`. */
export function Recipients({ to, cc }: { to: string; cc: string }) {
  return (
    <>
      <RecipientLine label="To" text={to} />
      {recipientsOf(cc).length > 0 ? <RecipientLine label="Cc" text={cc} /> : null}
    </>
  );
}

/** How many of the recipients the customer's records do not know (0 while they are not loaded). */
export function useUnknownRecipients(to: string, cc: string): string[] {
  const known = useKnownContacts();
  if (!known) return [];
  return [...recipientsOf(to), ...recipientsOf(cc)].filter((address) => !isKnownContact(address, known));
}

/** The same, within a line of text (Send Email's choice of draft): "To a@x.example, b@y.example ⚠ not a known contact of Acme · Cc …". */
export function RecipientsInline({ to, cc }: { to: string; cc: string }) {
  const line = (label: string, text: string) => (
    <span className="recipients-inline">{label}{' '}
      {recipientsOf(text).map((address, index) => (
        <span key={`${index}:${address}`} data-testid="recipient">
          {index > 0 ? ', ' : null}<EmailAddresses text={address} />
          <RecipientFlag address={address} />
        </span>
      ))}
    </span>
  );
  return <>{line('To', to)}{recipientsOf(cc).length > 0 ? <><br />{line('Cc', cc)}</> : null}</>;
}
