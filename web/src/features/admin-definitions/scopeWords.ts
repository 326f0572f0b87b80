// Whose a definition or a saved action is, as the Admin pages badge it: the catalogue's
// (Core), the organisation's version of it, or the organisation's own. One list per kind,
// shared by the Workflows and Actions pages and the audit log.
export type Scope = 'core' | 'override' | 'organisation';

export const WORKFLOW_SCOPE_WORDS: Record<Scope, string> = { core: 'Core', override: 'Your version', organisation: 'Your own' };
export const ACTION_SCOPE_WORDS: Record<Scope, string> = { core: 'Core', override: 'Your limits', organisation: 'Your own' };
