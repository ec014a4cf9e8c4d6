// The invite policy of a group: revoke at a time, rotate every N seconds, one-time link, join-flood breaker;
// with its state (active or disabled and why), next rotation and last firing.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, first } from '../api';
import { useLiveEvents } from '../live';
import { Field, LoadError, Notice, Section, TextInput, Time, useAction, useLoad } from '../ui';

interface Policy {
  status: string;
  reason: string | null;
  revokeAt: string | null;
  rotateEvery: number | null;
  nextRotateAt: string | null;
  oneTime: boolean;
  floodBreaker: { maxJoins: number; windowSeconds: number; enableApproval?: boolean } | null;
  lastFiredAt: string | null;
  lastFiredRule: string | null;
}

interface Draft {
  revokeAt: string;
  rotateEvery: string;
  oneTime: boolean;
  maxJoins: string;
  windowSeconds: string;
  enableApproval: boolean;
}

const EMPTY: Draft = { revokeAt: '', rotateEvery: '', oneTime: false, maxJoins: '', windowSeconds: '', enableApproval: false };

/** datetime-local wants local time without a zone. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function draftOf(policy: Policy | null): Draft {
  if (!policy) return EMPTY;
  return {
    revokeAt: localInput(policy.revokeAt),
    rotateEvery: policy.rotateEvery === null ? '' : String(policy.rotateEvery),
    oneTime: policy.oneTime,
    maxJoins: policy.floodBreaker ? String(policy.floodBreaker.maxJoins) : '',
    windowSeconds: policy.floodBreaker ? String(policy.floodBreaker.windowSeconds) : '',
    enableApproval: policy.floodBreaker?.enableApproval ?? false,
  };
}

function bodyOf(draft: Draft) {
  return {
    revokeAt: draft.revokeAt ? new Date(draft.revokeAt).toISOString() : null,
    rotateEvery: draft.rotateEvery ? Number(draft.rotateEvery) : null,
    oneTime: draft.oneTime,
    floodBreaker: draft.maxJoins && draft.windowSeconds ? { maxJoins: Number(draft.maxJoins), windowSeconds: Number(draft.windowSeconds), enableApproval: draft.enableApproval } : null,
  };
}

export function PolicyEditor({ sessionId, groupId }: { sessionId: string; groupId: string }) {
  const target = { sessionId, groupId };
  const policy = useLoad(async () => {
    try {
      return await first<Policy>('GET', '/group/invite/policy', { query: target });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) return null;
      throw failure;
    }
  }, [groupId]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  useEffect(() => setDraft(draftOf(policy.data ?? null)), [policy.data]);
  useLiveEvents((event) => {
    if (event.event === 'group_invite_policy' && event.data.groupId === groupId) policy.reload();
  }, [groupId]);
  const action = useAction();
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const save = action.submit(async () => {
    await call('POST', '/group/invite/policy', { body: { ...target, ...bodyOf(draft) } });
    policy.reload();
    return 'Policy saved';
  });
  const remove = () =>
    void action.run(async () => {
      await call('DELETE', '/group/invite/policy', { body: target });
      policy.reload();
      return 'Policy removed';
    });

  const current = policy.data;
  return (
    <Section title="Invite policy" id="policy">
      <LoadError error={policy.error} />
      {current ? (
        <dl class="facts" aria-label="Policy state">
          <dt>State</dt><dd class="policy-status">{current.status}{current.reason ? `: ${current.reason}` : ''}</dd>
          <dt>Next rotation</dt><dd><Time at={current.nextRotateAt} /></dd>
          <dt>Last fired</dt><dd>{current.lastFiredAt ? <><Time at={current.lastFiredAt} /> ({current.lastFiredRule})</> : 'never'}</dd>
        </dl>
      ) : policy.data === null ? <p>No policy: the link changes only when someone revokes it.</p> : null}
      <form onSubmit={save}>
        <Field label="Revoke at" hint="once, at this local time">
          <input type="datetime-local" value={draft.revokeAt} onInput={(event) => set('revokeAt')(event.currentTarget.value)} name="revokeAt" />
        </Field>
        <Field label="Rotate every (seconds)" hint="60 or more; empty: no rotation">
          <TextInput value={draft.rotateEvery} onInput={set('rotateEvery')} type="number" min={60} name="rotateEvery" />
        </Field>
        <label class="check">
          <input type="checkbox" checked={draft.oneTime} onChange={(event) => set('oneTime')(event.currentTarget.checked)} name="oneTime" /> One-time link: revoke after each join through it
        </label>
        <fieldset>
          <legend>Join-flood breaker</legend>
          <Field label="More than this many joins">
            <TextInput value={draft.maxJoins} onInput={set('maxJoins')} type="number" min={1} name="maxJoins" />
          </Field>
          <Field label="Within (seconds)">
            <TextInput value={draft.windowSeconds} onInput={set('windowSeconds')} type="number" min={1} name="windowSeconds" />
          </Field>
          <label class="check">
            <input type="checkbox" checked={draft.enableApproval} onChange={(event) => set('enableApproval')(event.currentTarget.checked)} /> Also turn on join approval
          </label>
        </fieldset>
        <div class="buttons">
          <button type="submit" disabled={action.busy}>Save policy</button>
          {current ? <button type="button" class="danger" disabled={action.busy} onClick={remove}>Remove policy</button> : null}
        </div>
        <Notice outcome={action.outcome} />
      </form>
    </Section>
  );
}
