// Whom a customer's emails may go to without a second look: the addresses and mail domains
// the app knows for the customer (its domain, its stakeholders' addresses and their domains)
// and the account team's own addresses. A drafted email can name any recipient — the
// assistant writes its To and Cc — so the approval view marks every other address before
// anyone approves or sends it.
import { createContext, useContext } from 'react';
import type { CustomerContext, Stakeholder } from '../../lib/types.ts';

export interface KnownContacts {
  /** The customer's name, as the warning says it ("not a known contact of Acme Corp"). */
  customerName: string;
  /** Mail domains, lower case: the customer's and its stakeholders'. */
  domains: string[];
  /** Addresses, lower case: the stakeholders' and the account team's. */
  addresses: string[];
  /** The customer's stakeholders with an address, as its context lists them: Schedule Meeting offers them as attendees. */
  stakeholders: Stakeholder[];
}

/** The known contacts of the workflow's customer, once its context has loaded (else null: nothing is judged, nobody offered). */
export const KnownContactsOf = createContext<KnownContacts | null>(null);

export function useKnownContacts(): KnownContacts | null {
  return useContext(KnownContactsOf);
}

/** "https://www.Acme.example/about" or "acme.example" → "acme.example"; null for nothing usable. */
export function mailDomain(text: string | null | undefined): string | null {
  const host = (text ?? '').trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split(/[/?#:]/)[0]!.replace(/^www\./, '').replace(/\.$/, '');
  return host.includes('.') && !/\s/.test(host) ? host : null;
}

/** The part after the last '@', lower case, or null. */
function domainOfAddress(address: string): string | null {
  const at = address.lastIndexOf('@');
  return at > 0 ? mailDomain(address.slice(at + 1)) : null;
}

/** The known contacts in a customer's context (get_customer_context). */
export function knownContactsOf(context: Pick<CustomerContext, 'customer' | 'account_team'>): KnownContacts {
  const stakeholderAddresses = context.account_team.stakeholders.map((person) => person.email?.trim().toLowerCase() ?? '').filter(Boolean);
  const team = [context.account_team.csm, context.account_team.account_executive, context.account_team.support_engineer]
    .map((person) => person?.email.trim().toLowerCase() ?? '').filter(Boolean);
  const domains = [mailDomain(context.customer.domain), ...stakeholderAddresses.map(domainOfAddress)].filter((domain): domain is string => domain !== null);
  return {
    customerName: context.customer.name,
    domains: [...new Set(domains)],
    addresses: [...new Set([...stakeholderAddresses, ...team])],
    stakeholders: context.account_team.stakeholders.filter((person) => Boolean(person.email?.trim())),
  };
}

/**
 * Whether `address` is one the customer's records know: a stakeholder's or the account
 * team's address, or one at the customer's domain or a stakeholder's (or a subdomain of one:
 * mail.acme.example is Acme's). Anything else — a look-alike (acme-billing.example), a
 * free-mail address, a name that is not an address — is not.
 */
export function isKnownContact(address: string, known: KnownContacts): boolean {
  const clean = bareAddress(address).toLowerCase();
  if (known.addresses.includes(clean)) return true;
  const domain = domainOfAddress(clean);
  return domain !== null && known.domains.some((knownDomain) => domain === knownDomain || domain.endsWith(`.${knownDomain}`));
}

/** "Chris Champion <chris@acme.example>" → "chris@acme.example"; a bare address as it is. */
export function bareAddress(text: string): string {
  return (/<([^<>]*)>\s*$/.exec(text)?.[1] ?? text).trim();
}

/** A recipients line ("a@x.example, b@y.example" or a list) as its addresses, one each. */
export function recipientsOf(text: string): string[] {
  return text.split(/[,;]/).map((part) => part.trim()).filter(Boolean);
}
