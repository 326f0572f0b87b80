// Four eyes (approve_artifact): where the organisation requires approval and does not allow
// self-approval, whoever wrote a draft's current text (its last text editor, or its creator)
// may not approve it. The screens ask the same question first — the organisation's setting
// (get_organisation_settings, readable by every member) and the text's author (written_by
// on the workflow's artifacts; created_by, or get_artifact, for a draft listed without it) —
// so the author is shown the state instead of a button that must fail.
import { useEffect, useState } from 'react';
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';
import { canAct, useWorkspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';

type Settings = RpcResult<'get_organisation_settings'>;

/** True when `viewerId` wrote the draft and the organisation wants someone else to approve it. */
export function waitsForSecondPerson(settings: Pick<Settings, 'email'> | null, authorId: string | null | undefined, viewerId: string): boolean {
  if (!settings || !authorId) return false;
  return settings.email.require_approval && !settings.email.allow_self_approval && authorId === viewerId;
}

// Asked once per signed-in session and artifact (a setting changes rarely, an author never);
// a failure is not kept.
const settingsAsked = new WeakMap<Api, Promise<Settings>>();
const authorsAsked = new WeakMap<Api, Map<string, Promise<string | null>>>();

function settingsOf(api: Api): Promise<Settings> {
  let answer = settingsAsked.get(api);
  if (!answer) {
    answer = typedRpc(api.client)('get_organisation_settings');
    settingsAsked.set(api, answer);
    answer.catch(() => settingsAsked.delete(api));
  }
  return answer;
}

function authorOf(api: Api, artifact: Artifact): Promise<string | null> {
  if (artifact.written_by !== undefined) return Promise.resolve(artifact.written_by);
  if (artifact.created_by !== undefined) return Promise.resolve(artifact.created_by);
  const mine = authorsAsked.get(api) ?? new Map<string, Promise<string | null>>();
  authorsAsked.set(api, mine);
  let answer = mine.get(artifact.id);
  if (!answer) {
    answer = api.getArtifact(artifact.id).then((full) => full.created_by ?? null);
    mine.set(artifact.id, answer);
    answer.catch(() => mine.delete(artifact.id));
  }
  return answer;
}

/** Whether the signed-in person must leave this (unapproved) draft to someone else. */
export function useWaitsForSecondPerson(artifact: Artifact): boolean {
  const { api, profile } = useWorkspace();
  const [waits, setWaits] = useState(false);
  const relevant = canAct(profile) && !artifact.approved_at;
  useEffect(() => {
    if (!relevant) {
      setWaits(false);
      return undefined;
    }
    let alive = true;
    Promise.resolve().then(() => Promise.all([settingsOf(api), authorOf(api, artifact)]))
      .then(([settings, author]) => { if (alive) setWaits(waitsForSecondPerson(settings, author, profile.id)); })
      // Unknown: the button stays, and the server's refusal says why.
      .catch(() => undefined);
    return () => { alive = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the author is known from the listed artifact
  }, [api, relevant, artifact.id, artifact.written_by, artifact.created_by, profile.id]);
  return waits;
}
